package io.shardwise.testkit.faults;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. An HTTP/2 prior-knowledge connection (it opens with the HTTP/2
 * preface) is relayed raw; anything else is read as HTTP/1.1, one request after the other, each
 * handed to the {@link FaultInjector} with its body read whole.
 */
final class FaultConnection implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FaultConnection.class);
    private static final byte[] HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket client;
    private final URI upstream;
    private final FaultInjector injector;
    private final FaultTally tally;

    FaultConnection(Socket client, URI upstream, FaultInjector injector, FaultTally tally) {
        this.client = client;
        this.upstream = upstream;
        this.injector = injector;
        this.tally = tally;
    }

    @Override
    public void run() {
        try (client; FaultUpstream connection = new FaultUpstream(upstream)) {
            BufferedInputStream in = new BufferedInputStream(client.getInputStream(), 64 * 1024);
            if (startsWithHttp2Preface(in)) {
                tally.http2Connection();
                FaultRelay.relay(client, in, upstream);
                return;
            }
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024);
            boolean open = true;
            while (open) {
                FaultHttpHead request = FaultHttpHead.read(in);
                if (request == null) {
                    return;
                }
                if (request.hasToken("Expect", "100-continue")) {
                    // Answer the expectation here; upstream then gets a plain request.
                    out.write(CONTINUE);
                    out.flush();
                    request = request.without("Expect");
                }
                FaultHttpBody.Framing framing = FaultHttpBody.requestFraming(request);
                byte[] body = FaultHttpBody.read(framing, request, in);
                if (framing == FaultHttpBody.Framing.CHUNKED) {
                    request = request.withLength(body.length);
                }
                open = injector.handle(request, body, connection, out) && !request.hasToken("Connection", "close");
            }
        } catch (IOException e) {
            LOG.debug("Fault proxy connection from {} ended: {}", client.getRemoteSocketAddress(), e.toString());
        }
    }

    /** Peeks at the first bytes without consuming them; stops at the first byte that differs. */
    private static boolean startsWithHttp2Preface(BufferedInputStream in) throws IOException {
        in.mark(HTTP2_PREFACE.length);
        try {
            for (byte expected : HTTP2_PREFACE) {
                if (in.read() != (expected & 0xFF)) {
                    return false;
                }
            }
            return true;
        } finally {
            in.reset();
        }
    }
}
