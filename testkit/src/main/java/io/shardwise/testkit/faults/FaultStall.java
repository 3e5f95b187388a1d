package io.shardwise.testkit.faults;

import java.io.InterruptedIOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The stalled switches of a {@link FaultProxy}, one for every call and one per operation: while a
 * call's switch is on, it is held back or throttled.
 */
final class FaultStall {

    private final FaultProxy.StallMode mode;
    private final Set<String> stalledOperations = new HashSet<>();
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

    synchronized void set(String operation, boolean on) {
        if (on) {
            stalledOperations.add(FaultRules.operationName(operation));
        } else {
            stalledOperations.remove(FaultRules.operationName(operation));
        }
        notifyAll();
    }

    synchronized boolean isStalled() {
        return stalled;
    }

    synchronized boolean isStalled(String operation) {
        return stalled || stalledOperations.contains(FaultRules.operationName(operation));
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
    synchronized boolean await(String operation, Runnable onStalled) throws InterruptedIOException {
        if (!isStalled(operation) || released) {
            return false;
        }
        onStalled.run();
        if (mode == FaultProxy.StallMode.THROTTLE) {
            return true;
        }
        try {
            while (isStalled(operation) && !released) {
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
