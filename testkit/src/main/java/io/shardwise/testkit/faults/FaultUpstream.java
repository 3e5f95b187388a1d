package io.shardwise.testkit.faults;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * One keep-alive HTTP/1.1 connection to the upstream engine, opened on first use and reopened
 * after upstream closes it.
 */
final class FaultUpstream implements Closeable {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final InetSocketAddress address;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    FaultUpstream(URI upstream) {
        this.address = address(upstream);
    }

    static InetSocketAddress address(URI upstream) {
        int port = upstream.getPort() > 0 ? upstream.getPort() : 80;
        return new InetSocketAddress(upstream.getHost(), port);
    }

    static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, CONNECT_TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw new IOException("Cannot connect to upstream " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends a request and reads the response head, leaving the body on {@link #in()}. A kept-alive
     * connection that upstream closed while idle fails before any answer byte: that one case is
     * retried once on a fresh connection.
     */
    FaultHttpHead exchange(FaultHttpHead request, byte[] body) throws IOException {
        while (true) {
            boolean fresh = socket == null;
            if (fresh) {
                socket = connect(address);
                in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            }
            FaultHttpHead response;
            try {
                request.writeTo(out);
                out.write(body);
                out.flush();
                response = FaultHttpHead.read(in);
            } catch (IOException e) {
                close();
                if (fresh) {
                    throw e;
                }
                continue;
            }
            if (response == null) {
                close();
                if (fresh) {
                    throw new EOFException("Upstream " + address + " closed the connection without an answer");
                }
                continue;
            }
            while (response.status() / 100 == 1) {
                response = FaultHttpHead.read(in);
                if (response == null) {
                    throw new EOFException("Upstream " + address + " closed the connection after an interim answer");
                }
            }
            return response;
        }
    }

    InputStream in() {
        return in;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
            socket = null;
        }
    }
}
