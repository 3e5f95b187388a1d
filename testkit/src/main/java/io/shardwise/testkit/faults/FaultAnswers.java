package io.shardwise.testkit.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Answers the proxy writes itself, in the protocol (CBOR or JSON) of the request they answer and
 * in the error style of its service (see {@link FaultService}).
 */
final class FaultAnswers {

    private FaultAnswers() {
    }

    /** A 400 ProvisionedThroughputExceededException; returns true, as every answer here keeps the connection. */
    static boolean throttle(OutputStream out, FaultPayloads payloads, FaultService service, String message)
            throws IOException {
        return error(out, payloads, service, "400 Bad Request", FaultPutRecords.THROTTLED, message);
    }

    /**
     * An AWS JSON-protocol error answer. The SDK takes the error code from x-amzn-ErrorType (up to
     * the colon) when present, else from the body's {@code __type} (after the {@code #}).
     */
    static boolean error(OutputStream out, FaultPayloads payloads, FaultService service, String status, String code,
                         String message) throws IOException {
        byte[] body = payloads.error(service.errorType(code), message);
        write(out, errorHead(payloads, service, status, code, body), body);
        return true;
    }

    static FaultHttpHead errorHead(FaultPayloads payloads, FaultService service, String status, String code,
                                   byte[] body) {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Content-Type", payloads.contentType()});
        if (service.sendsErrorTypeHeader()) {
            headers.add(new String[] {"x-amzn-ErrorType", code + ":"});
        }
        headers.add(new String[] {"x-amzn-RequestId", UUID.randomUUID().toString()});
        if (service.sendsCrc32()) {
            headers.add(new String[] {"x-amz-crc32", Long.toString(crc32(body))});
        }
        headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
        return new FaultHttpHead("HTTP/1.1 " + status, headers);
    }

    static long crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return crc.getValue();
    }

    static FaultHttpHead okHead(FaultPayloads payloads) {
        return new FaultHttpHead("HTTP/1.1 200 OK", List.of(
                new String[] {"Content-Type", payloads.contentType()},
                new String[] {"x-amzn-RequestId", UUID.randomUUID().toString()}));
    }

    static void write(OutputStream out, FaultHttpHead head, byte[] body) throws IOException {
        head.writeTo(out);
        out.write(body);
        out.flush();
    }
}
