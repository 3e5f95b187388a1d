package io.shardwise.producer;

import io.shardwise.kinesis.StreamReference;
import io.shardwise.kinesis.StreamRequests;
import io.shardwise.aggregation.KinesisRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * How a PutRecords request reaches the client, chosen once when the producer is built:
 *
 * <ul>
 *   <li>{@link #writtenBodies}, the fast path, on the clients the producer builds (also when the caller
 *       customizes their builder): the producer writes each body once, in exact size ({@link PutRecordsBody}),
 *       and the client's {@link PutRecordsBodyInterceptor} sends it as it is; the SDK marshals only the
 *       stream name.
 *   <li>{@link #sdkMarshalling}, the slow path, on a finished client passed by the caller (which lacks
 *       the interceptor): each record goes into the request object and the SDK marshals it, copying each
 *       body five to seven times (see benchmarks/README.md).
 * </ul>
 */
abstract sealed class PutRecordsTransport {
    private final KinesisAsyncClient client;
    private final StreamReference stream;
    private final AwsRequestOverrideConfiguration override;

    private PutRecordsTransport(KinesisAsyncClient client, StreamReference stream, Duration requestTimeout) {
        this.client = client;
        this.stream = stream;
        this.override = AwsRequestOverrideConfiguration.builder().apiCallTimeout(requestTimeout).build();
    }

    /** Requires a client carrying a {@link PutRecordsBodyInterceptor}. */
    static PutRecordsTransport writtenBodies(KinesisAsyncClient client, StreamReference stream, Duration requestTimeout) {
        return new WrittenBodies(client, stream, requestTimeout);
    }

    static PutRecordsTransport sdkMarshalling(KinesisAsyncClient client, StreamReference stream, Duration requestTimeout) {
        return new SdkMarshalling(client, stream, requestTimeout);
    }

    /**
     * Sends the batch's entries (encoding aggregates not yet encoded). The client has marshalled the call
     * when this returns, so the entries' records may be released.
     */
    final CompletableFuture<PutRecordsResponse> put(PutBatch batch) {
        return client.putRecords(request(batch, StreamRequests.apply(stream, PutRecordsRequest.builder()), override));
    }

    abstract PutRecordsRequest request(PutBatch batch, PutRecordsRequest.Builder request, AwsRequestOverrideConfiguration override);

    private static final class WrittenBodies extends PutRecordsTransport {
        WrittenBodies(KinesisAsyncClient client, StreamReference stream, Duration requestTimeout) {
            super(client, stream, requestTimeout);
        }

        /** The call with its records in a {@link PutRecordsBody} that the client's interceptor sends as they are. */
        @Override
        PutRecordsRequest request(PutBatch batch, PutRecordsRequest.Builder request, AwsRequestOverrideConfiguration override) {
            List<PutRecordsBody.Entry> entries = new ArrayList<>(batch.entries().size());
            for (PutBatch.Entry entry : batch.entries()) {
                KinesisRecord record = entry.record();
                entries.add(new PutRecordsBody.Entry(record.partitionKey(), record.explicitHashKey(), record.data()));
            }
            return request.overrideConfiguration(override.toBuilder()
                    .putExecutionAttribute(PutRecordsBodyInterceptor.BODY, new PutRecordsBody(entries)).build()).build();
        }
    }

    private static final class SdkMarshalling extends PutRecordsTransport {
        SdkMarshalling(KinesisAsyncClient client, StreamReference stream, Duration requestTimeout) {
            super(client, stream, requestTimeout);
        }

        @Override
        PutRecordsRequest request(PutBatch batch, PutRecordsRequest.Builder request, AwsRequestOverrideConfiguration override) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>(batch.entries().size());
            for (PutBatch.Entry entry : batch.entries()) {
                entries.add(PutRecordsRequestEntry.builder()
                        .partitionKey(entry.record().partitionKey())
                        .explicitHashKey(entry.record().explicitHashKey())
                        .data(SdkBytes.fromByteArrayUnsafe(entry.record().data()))
                        .build());
            }
            return request.records(entries).overrideConfiguration(override).build();
        }
    }
}
