package io.shardwise.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One generation of a followed file: the file (its key, the path it was last seen at, an open
 * channel that keeps reading it after a rename or a delete), how far its complete lines were read,
 * and the lines sent from it that are not yet covered by the state file, in file order.
 * A copy-truncate starts a new generation on the same channel at offset 0.
 */
final class FollowedFile {

    /** A line longer than this (the stream's largest record) cannot be sent: it is skipped, and reported. */
    static final int MAX_LINE_BYTES = 1024 * 1024;

    /** What a read found. */
    enum Progress {
        /** No new complete line and no new bytes. */
        NOTHING,
        /** Read up to the end (a partial last line may wait). */
        TO_THE_END,
        /** Stopped before the end: a limit was reached. */
        MORE
    }

    /** Receives what a read finds, in file order. */
    interface Lines {
        void line(FollowedFile file, long start, long end, byte[] content);

        void tooLong(FollowedFile file, long start);
    }

    /** A line handed to the producer; {@code done} once acknowledged (or refused for good). */
    static final class SentLine {
        final FollowedFile file;
        final long start;
        final long end;
        final String partitionKey;
        /** Kept to send the line again after a failure; dropped once it is done. */
        volatile byte[] data;
        volatile boolean done;

        SentLine(FollowedFile file, long start, long end, String partitionKey, byte[] data) {
            this.file = file;
            this.start = start;
            this.end = end;
            this.partitionKey = partitionKey;
            this.data = data;
        }

        void markDone() {
            data = null;
            done = true;
        }
    }

    final String fileKey;
    final FileChannel channel;
    final ArrayDeque<SentLine> unacknowledged = new ArrayDeque<>();
    Path path;
    Fingerprint fingerprint;
    /** Just past the last complete line handed out (or skipped). */
    long readOffset;
    /** Whether the last look found the file under a FILE_OR_GLOB. */
    boolean inGlob;
    private long sizeAtLastRead = -1;
    private boolean skippingLongLine;

    /** A generation that starts reading at {@code readOffset}, with the fingerprint of the file's first bytes now. */
    FollowedFile(String fileKey, Path path, FileChannel channel, long readOffset, boolean inGlob) throws IOException {
        this.fileKey = fileKey;
        this.path = path;
        this.channel = channel;
        this.fingerprint = Fingerprint.read(channel);
        this.readOffset = readOffset;
        this.inGlob = inGlob;
    }

    /** The generation after a copy-truncate: the same file, channel and path, read again from byte 0. */
    FollowedFile nextGeneration() throws IOException {
        return new FollowedFile(fileKey, path, channel, 0, inGlob);
    }

    /**
     * Hands out the complete lines (ending with a newline; without it and without a trailing
     * carriage return) from {@link #readOffset}, at most {@code maxLines} of them and about
     * {@code maxBytes}; empty lines are passed over. A partial last line waits for its newline.
     */
    Progress readLines(ByteBuffer buffer, int maxLines, long maxBytes, Lines lines) throws IOException {
        long size = channel.size();
        long startedAt = readOffset;
        boolean grew = size != sizeAtLastRead;
        sizeAtLastRead = size;
        int handedOut = 0;
        while (readOffset < size && handedOut < maxLines && readOffset - startedAt < maxBytes) {
            int length = fill(buffer, readOffset, size);
            int lineStart = 0;
            for (int i = 0; i < length && handedOut < maxLines; i++) {
                if (buffer.get(i) != '\n') {
                    continue;
                }
                if (skippingLongLine) {
                    skippingLongLine = false;
                } else {
                    int contentEnd = i > lineStart && buffer.get(i - 1) == '\r' ? i - 1 : i;
                    if (contentEnd > lineStart) {
                        byte[] content = new byte[contentEnd - lineStart];
                        buffer.get(lineStart, content);
                        lines.line(this, readOffset + lineStart, readOffset + i + 1, content);
                        handedOut++;
                    }
                }
                lineStart = i + 1;
            }
            if (lineStart > 0) {
                readOffset += lineStart;
            } else if (skippingLongLine) {
                readOffset += length; // still inside the over-long line
            } else if (length == buffer.capacity()) {
                lines.tooLong(this, readOffset);
                skippingLongLine = true;
                readOffset += length;
            } else {
                break; // a partial last line: wait for the rest
            }
        }
        if (readOffset == startedAt) {
            return grew ? Progress.TO_THE_END : Progress.NOTHING;
        }
        return readOffset < size && (handedOut >= maxLines || readOffset - startedAt >= maxBytes)
                ? Progress.MORE : Progress.TO_THE_END;
    }

    /** The bytes after the last complete line (a last line without a newline), or null; consumes them. */
    byte[] takeUnterminatedTail(ByteBuffer buffer) throws IOException {
        long size = channel.size();
        if (readOffset >= size || skippingLongLine) {
            readOffset = Math.max(readOffset, size);
            return null;
        }
        int length = fill(buffer, readOffset, size);
        if (length == buffer.capacity()) {
            readOffset = size; // over-long: it cannot be sent
            return null;
        }
        byte[] tail = new byte[length];
        buffer.get(0, tail);
        readOffset += length;
        if (tail.length > 0 && tail[tail.length - 1] == '\r') {
            tail = Arrays.copyOf(tail, tail.length - 1);
        }
        return tail.length == 0 ? null : tail;
    }

    /** The offset the state file may hold: just before the first line not yet acknowledged. */
    long acknowledgedOffset() {
        for (SentLine line : unacknowledged) {
            if (!line.done) {
                return line.start;
            }
        }
        return readOffset;
    }

    /** Forgets the acknowledged lines at the head that end at or before {@code covered} (the state file's offset). */
    int dropAcknowledgedHead(long covered) {
        int dropped = 0;
        for (SentLine line = unacknowledged.peek(); line != null && line.done && line.end <= covered;
                line = unacknowledged.peek()) {
            unacknowledged.poll();
            dropped++;
        }
        return dropped;
    }

    boolean allAcknowledged() {
        for (SentLine line : unacknowledged) {
            if (!line.done) {
                return false;
            }
        }
        return true;
    }

    FollowState.Entry stateEntry() {
        return new FollowState.Entry(fileKey, path.toString(), acknowledgedOffset(), fingerprint);
    }

    private int fill(ByteBuffer buffer, long from, long size) throws IOException {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), size - from));
        long position = from;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read <= 0) {
                break;
            }
            position += read;
        }
        return buffer.position();
    }
}
