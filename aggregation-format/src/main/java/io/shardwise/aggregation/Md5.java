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
