package io.shardwise.consumer;

/**
 * Why a shard worker must stop, and a sleep that ends early when it must. A lost lease overrides a
 * requested shutdown: once the lease is gone no checkpoint is possible.
 */
final class StopSignal {
    enum Reason { NONE, SHUTDOWN, LEASE_LOST }

    private Reason reason = Reason.NONE;
    private String handoffTo;

    synchronized void requestShutdown(String handoffTarget) {
        if (reason == Reason.NONE) {
            reason = Reason.SHUTDOWN;
            handoffTo = handoffTarget;
            notifyAll();
        }
    }

    synchronized void leaseLost() {
        reason = Reason.LEASE_LOST;
        notifyAll();
    }

    synchronized Reason reason() {
        return reason;
    }

    synchronized String handoffTo() {
        return handoffTo;
    }

    synchronized boolean stopped() {
        return reason != Reason.NONE;
    }

    /** Sleeps up to {@code millis}; returns false when a stop was requested meanwhile. */
    synchronized boolean sleep(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (reason == Reason.NONE) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
                return true;
            }
            long left = (leftNanos + 999_999L) / 1_000_000L;
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
