package io.shardwise.testkit.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;

/**
 * Relays an HTTP/2 cleartext (prior knowledge) connection byte for byte to upstream, in both
 * directions, without looking inside: SubscribeToShard over h2c reaches the engine untouched.
 */
final class FaultRelay {

    private FaultRelay() {
    }

    /** Returns when both directions have ended. {@code clientIn} still holds the connection preface. */
    static void relay(Socket client, InputStream clientIn, URI upstream) throws IOException {
        try (Socket up = FaultUpstream.connect(FaultUpstream.address(upstream))) {
            Thread toUpstream = new Thread(() -> pump(clientIn, up, up), "fault-proxy-h2c-up");
            toUpstream.setDaemon(true);
            toUpstream.start();
            pump(up.getInputStream(), client, up);
            try {
                toUpstream.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Copies until end of stream, then half-closes the destination so the peer sees the end too. */
    private static void pump(InputStream from, Socket to, Socket upstream) {
        try {
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // One side went away: closing upstream ends the other direction too.
            try {
                upstream.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
