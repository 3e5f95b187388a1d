package io.shardwise.testkit.faults;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 body framing (RFC 9112 section 6): a body is delimited by chunked transfer coding, by
 * Content-Length, or (responses only) by the connection closing. The proxy either reads a body
 * whole, to change it, or relays it as it arrives, chunk by chunk, so an event stream keeps flowing.
 */
final class FaultHttpBody {

    /** How a message's body ends. */
    enum Framing { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    private FaultHttpBody() {
    }

    static Framing requestFraming(FaultHttpHead head) {
        if (head.hasToken("Transfer-Encoding", "chunked")) {
            return Framing.CHUNKED;
        }
        return head.header("Content-Length") != null ? Framing.LENGTH : Framing.NONE;
    }

    static Framing responseFraming(FaultHttpHead head) {
        int status = head.status();
        if (status / 100 == 1 || status == 204 || status == 304) {
            return Framing.NONE;
        }
        if (head.hasToken("Transfer-Encoding", "chunked")) {
            return Framing.CHUNKED;
        }
        return head.header("Content-Length") != null ? Framing.LENGTH : Framing.UNTIL_CLOSE;
    }

    /** Reads a whole body, removing any chunk framing. */
    static byte[] read(Framing framing, FaultHttpHead head, InputStream in) throws IOException {
        return switch (framing) {
            case NONE -> new byte[0];
            case LENGTH -> readExactly(in, contentLength(head));
            case UNTIL_CLOSE -> in.readAllBytes();
            case CHUNKED -> {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                    body.write(readExactly(in, size));
                    expectCrlf(in);
                }
                skipTrailers(in);
                yield body.toByteArray();
            }
        };
    }

    /** Relays a body unchanged, flushing after every chunk so a stream is never held back. */
    static void relay(Framing framing, FaultHttpHead head, InputStream in, OutputStream out) throws IOException {
        switch (framing) {
            case NONE -> out.flush();
            case LENGTH -> {
                copy(in, out, contentLength(head));
                out.flush();
            }
            case UNTIL_CLOSE -> {
                byte[] buffer = new byte[16 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
            case CHUNKED -> {
                for (int size = chunkSize(in); ; size = chunkSize(in)) {
                    out.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    if (size == 0) {
                        break;
                    }
                    copy(in, out, size);
                    expectCrlf(in);
                    out.write('\r');
                    out.write('\n');
                    out.flush();
                }
                skipTrailers(in);
                out.write('\r');
                out.write('\n');
                out.flush();
            }
        }
    }

    private static long contentLength(FaultHttpHead head) throws IOException {
        try {
            long length = Long.parseLong(head.header("Content-Length").trim());
            if (length < 0) {
                throw new IOException("Negative Content-Length " + length);
            }
            return length;
        } catch (NumberFormatException e) {
            throw new IOException("Bad Content-Length: " + head.header("Content-Length"), e);
        }
    }

    private static int chunkSize(InputStream in) throws IOException {
        String line = FaultHttpHead.readLine(in, false);
        int semicolon = line.indexOf(';');
        String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
        try {
            return Integer.parseInt(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("Bad chunk size line: " + line, e);
        }
    }

    private static void expectCrlf(InputStream in) throws IOException {
        if (!FaultHttpHead.readLine(in, false).isEmpty()) {
            throw new IOException("Chunk data not followed by CRLF");
        }
    }

    private static void skipTrailers(InputStream in) throws IOException {
        while (!FaultHttpHead.readLine(in, false).isEmpty()) {
            // trailer fields carry nothing the proxy or the SDK needs
        }
    }

    private static byte[] readExactly(InputStream in, long length) throws IOException {
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException("Body of " + length + " bytes is too large to buffer");
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length != length) {
            throw new EOFException("Body ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("Body ended " + left + " bytes early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }
}
