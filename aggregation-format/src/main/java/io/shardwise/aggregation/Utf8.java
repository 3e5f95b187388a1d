package io.shardwise.aggregation;

/**
 * UTF-8 lengths that agree with {@code String.getBytes(UTF_8)}, which writes an unpaired surrogate
 * as one '?' byte. The aggregator counts with this and writes those bytes, so its accounting stays
 * exact for every string.
 */
final class Utf8 {

    private Utf8() {
    }

    static int encodedLength(String s) {
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // 4 bytes for the two chars of a pair
                i++;
            } else if (Character.isSurrogate(c)) {
                continue; // unpaired: one '?'
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }
}
