package io.shardwise.aggregation;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** One MD5 digest and a scratch buffer per thread: hashing allocates nothing on the hot path. */
final class Md5 {

    static final int LENGTH = 16;

    private static final ThreadLocal<Md5> LOCAL = ThreadLocal.withInitial(Md5::new);

    private final MessageDigest digest;
    private final byte[] scratch = new byte[LENGTH];
    private byte[] utf8 = new byte[64];

    private Md5() {
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide MD5", e);
        }
    }

    static Md5 local() {
        return LOCAL.get();
    }

    /** Writes the MD5 of {@code in[off, off+len)} to {@code out[outOff, outOff+16)}. */
    void digest(byte[] in, int off, int len, byte[] out, int outOff) {
        digest.reset();
        digest.update(in, off, len);
        try {
            digest.digest(out, outOff, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("MD5 output buffer too small", e);
        }
    }

    /**
     * The MD5 of {@code in[off, off+len)} in this thread's scratch buffer, valid until the next call
     * on this thread: for callers that only read it.
     */
    byte[] digestToScratch(byte[] in, int off, int len) {
        digest(in, off, len, scratch, 0);
        return scratch;
    }

    /**
     * The MD5 of the UTF-8 bytes of {@code text} in this thread's scratch buffer (see
     * {@link #digestToScratch}). An ASCII string (its own UTF-8) is copied into a reused buffer, so
     * hashing a typical partition key allocates nothing.
     */
    byte[] digestUtf8ToScratch(String text) {
        int length = text.length();
        if (length > utf8.length) {
            utf8 = new byte[Math.max(length, 2 * utf8.length)];
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                byte[] encoded = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                return digestToScratch(encoded, 0, encoded.length);
            }
            utf8[i] = (byte) c;
        }
        return digestToScratch(utf8, 0, length);
    }

    /** True when the MD5 of {@code in[off, off+len)} equals {@code expected[expOff, expOff+16)}. */
    boolean matches(byte[] in, int off, int len, byte[] expected, int expOff) {
        digest(in, off, len, scratch, 0);
        int diff = 0;
        for (int i = 0; i < LENGTH; i++) {
            diff |= scratch[i] ^ expected[expOff + i];
        }
        return diff == 0;
    }
}
