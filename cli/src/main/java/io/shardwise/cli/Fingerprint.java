package io.shardwise.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a file's first bytes (up to {@link #MAX_BYTES}). With the file's inode it tells
 * a file that was truncated and written again, or an inode the system reused for another file,
 * from the file the offset belongs to: an appended-to file keeps its first bytes.
 */
record Fingerprint(int length, String sha256) {

    static final int MAX_BYTES = 1024;

    static final Fingerprint EMPTY = of(new byte[0], 0);

    /** The fingerprint of the file's first {@code min(MAX_BYTES, size)} bytes. */
    static Fingerprint read(FileChannel channel) throws IOException {
        byte[] head = head(channel, MAX_BYTES);
        return of(head, head.length);
    }

    /** Whether the file still starts with the bytes this fingerprint was taken of. */
    boolean matches(FileChannel channel) throws IOException {
        if (length == 0) {
            return true;
        }
        byte[] head = head(channel, length);
        return head.length == length && of(head, length).sha256.equals(sha256);
    }

    /** Whether a longer fingerprint can be taken (the file was shorter than MAX_BYTES when this one was). */
    boolean growable() {
        return length < MAX_BYTES;
    }

    private static Fingerprint of(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return new Fingerprint(length, HexFormat.of().formatHex(digest.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] head(FileChannel channel, int max) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(max);
        long position = 0;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read <= 0) {
                break;
            }
            position += read;
        }
        byte[] head = new byte[buffer.position()];
        buffer.flip().get(head);
        return head;
    }
}
