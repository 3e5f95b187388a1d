package io.shardwise.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;

/** Answers the proxy writes itself, in the protocol (CBOR or JSON) of the request they answer. */
final class FaultAnswers {

    private FaultAnswers() {
    }

    /** A 400 ProvisionedThroughputExceededException; returns true, as every answer here keeps the connection. */
    static boolean throttle(OutputStream out, FaultPayloads payloads, String message) throws IOException {
        return error(out, payloads, "400 Bad Request", FaultPutRecords.THROTTLED, message);
    }

    /** An AWS error answer: the SDK reads the error code from x-amzn-ErrorType, up to the colon. */
    static boolean error(OutputStream out, FaultPayloads payloads, String status, String type, String message)
            throws IOException {
        byte[] body = payloads.error(type, message);
        FaultHttpHead head = new FaultHttpHead("HTTP/1.1 " + status, List.of(
                new String[] {"Content-Type", payloads.contentType()},
                new String[] {"x-amzn-ErrorType", type + ":"},
                new String[] {"x-amzn-RequestId", UUID.randomUUID().toString()},
                new String[] {"Content-Length", Integer.toString(body.length)}));
        write(out, head, body);
        return true;
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
