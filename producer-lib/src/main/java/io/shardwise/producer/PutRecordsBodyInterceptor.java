package io.shardwise.producer;

import java.io.ByteArrayInputStream;
import java.util.Optional;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;

/**
 * Installed on the clients the producer builds: a PutRecords call that carries a {@link PutRecordsBody}
 * (as an execution attribute, with no records in the request object itself, so the SDK marshals only
 * the stream) is sent with that body, written once in the protocol the SDK chose (its Content-Type).
 * The SDK then signs and sends exactly these bytes, with no further copy: its async pipeline reads a
 * marshalled body into a growing buffer, but takes a request body given here as it is. Calls without
 * the attribute are left alone.
 */
final class PutRecordsBodyInterceptor implements ExecutionInterceptor {
    static final ExecutionAttribute<PutRecordsBody> BODY = new ExecutionAttribute<>("shardwise.producer.PutRecordsBody");
    private static final ExecutionAttribute<byte[]> ENCODED = new ExecutionAttribute<>("shardwise.producer.PutRecordsBody.bytes");

    @Override
    public Optional<AsyncRequestBody> modifyAsyncHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = encoded(context, attributes);
        return body == null ? context.asyncRequestBody() : Optional.of(AsyncRequestBody.fromBytesUnsafe(body));
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = encoded(context, attributes);
        return body == null ? context.requestBody()
                : Optional.of(RequestBody.fromContentProvider(() -> new ByteArrayInputStream(body), body.length,
                        contentType(context.httpRequest())));
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = encoded(context, attributes);
        return body == null ? context.httpRequest()
                : context.httpRequest().toBuilder().putHeader("Content-Length", String.valueOf(body.length)).build();
    }

    /** The body of this call, encoded on the first of the three calls above; null for calls without one. */
    private static byte[] encoded(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = attributes.getAttribute(ENCODED);
        if (body != null) {
            return body;
        }
        PutRecordsBody records = attributes.getAttribute(BODY);
        if (records == null || !(context.request() instanceof PutRecordsRequest request)) {
            return null;
        }
        if (!request.records().isEmpty()) {
            throw new IllegalStateException("a PutRecords call with a producer body must carry no records itself");
        }
        body = records.encode(contentType(context.httpRequest()), request.streamName(), request.streamARN());
        attributes.putAttribute(ENCODED, body);
        return body;
    }

    private static String contentType(SdkHttpRequest request) {
        return request.firstMatchingHeader("Content-Type").orElse(PutRecordsBody.CBOR_CONTENT_TYPE);
    }
}
