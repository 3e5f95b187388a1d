package io.shardwise.testkit.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The start line and header fields of one HTTP/1.1 message, kept in wire order and spelling so a
 * message the proxy does not change goes upstream as it came.
 */
record FaultHttpHead(String startLine, List<String[]> headers) {

    private static final int MAX_LINE = 64 * 1024;

    FaultHttpHead {
        headers = List.copyOf(headers);
    }

    /** Reads a head; null when the stream ends cleanly before its first byte (an idle keep-alive close). */
    static FaultHttpHead read(InputStream in) throws IOException {
        String start = readLine(in, true);
        if (start == null) {
            return null;
        }
        List<String[]> headers = new ArrayList<>();
        for (String line = readLine(in, false); !line.isEmpty(); line = readLine(in, false)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("Malformed HTTP header line: " + line);
            }
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        return new FaultHttpHead(start, headers);
    }

    /** One CRLF-terminated line in ISO-8859-1, without the terminator. */
    static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (eofAllowed && line.size() == 0) {
                    return null;
                }
                throw new IOException("Connection closed in the middle of an HTTP head");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** First value of a header, case-insensitively; null when absent. */
    String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    boolean hasToken(String name, String token) {
        String value = header(name);
        if (value == null) {
            return false;
        }
        for (String part : value.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    FaultHttpHead without(String name) {
        List<String[]> kept = new ArrayList<>(headers.size());
        for (String[] h : headers) {
            if (!h[0].equalsIgnoreCase(name)) {
                kept.add(h);
            }
        }
        return new FaultHttpHead(startLine, kept);
    }

    /** Replaces every field of that name by one field with the value. */
    FaultHttpHead with(String name, String value) {
        List<String[]> fields = new ArrayList<>(without(name).headers);
        fields.add(new String[] {name, value});
        return new FaultHttpHead(startLine, fields);
    }

    /** The body is re-framed with a Content-Length, whatever framing it arrived with. */
    FaultHttpHead withLength(int length) {
        return without("Transfer-Encoding").with("Content-Length", Integer.toString(length));
    }

    /** Status code of a response head. */
    int status() {
        String[] parts = startLine.split(" ", 3);
        try {
            return Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Not an HTTP status line: " + startLine, e);
        }
    }

    void writeTo(OutputStream out) throws IOException {
        StringBuilder text = new StringBuilder(256).append(startLine).append("\r\n");
        for (String[] h : headers) {
            text.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        out.write(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
