package io.shardwise.cli;

import java.nio.charset.StandardCharsets;

/**
 * A demo record's payload: {@code <key> <sequence of this key> <send time, epoch ms> <padding>},
 * about 100 bytes of UTF-8, so the receiver can judge loss, duplicates, order and latency alone.
 */
record DemoPayload(String key, long sequence, long sentMillis) {

    private static final int SIZE = 100;

    byte[] encode() {
        StringBuilder text = new StringBuilder(SIZE).append(key).append(' ').append(sequence).append(' ')
                .append(sentMillis).append(' ');
        while (text.length() < SIZE) {
            text.append('.');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The payload, or null for bytes that are not a demo payload (another writer on the stream). */
    static DemoPayload decode(byte[] data) {
        String[] fields = new String(data, StandardCharsets.UTF_8).split(" ", 4);
        if (fields.length < 3) {
            return null;
        }
        try {
            return new DemoPayload(fields[0], Long.parseLong(fields[1]), Long.parseLong(fields[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
