package io.shardwise.testkit;

import java.io.InterruptedIOException;

/** The stalled switch of a {@link FaultProxy}: while on, calls are held back or throttled. */
final class FaultStall {

    private final FaultProxy.StallMode mode;
    private boolean stalled;
    private boolean released;

    FaultStall(FaultProxy.StallMode mode, boolean stalled) {
        this.mode = mode;
        this.stalled = stalled;
    }

    synchronized void set(boolean on) {
        stalled = on;
        notifyAll();
    }

    synchronized boolean isStalled() {
        return stalled;
    }

    /** Lets every held call go, for good: the proxy is closing. */
    synchronized void releaseAll() {
        released = true;
        notifyAll();
    }

    /**
     * Called before a call is forwarded. Returns whether the call met a stall, after running
     * {@code onStalled}: in HOLD mode it has then waited until the stall ended; in THROTTLE mode
     * the caller must answer it with a throttle.
     */
    synchronized boolean await(Runnable onStalled) throws InterruptedIOException {
        if (!stalled || released) {
            return false;
        }
        onStalled.run();
        if (mode == FaultProxy.StallMode.THROTTLE) {
            return true;
        }
        try {
            while (stalled && !released) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while the proxy was stalled");
        }
        return true;
    }

    FaultProxy.StallMode mode() {
        return mode;
    }
}
