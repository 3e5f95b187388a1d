package io.shardwise.producer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The byte budget over everything the producer holds ({@code maxBufferedBytes}): a record reserves its
 * bytes in {@code send} and gives them back when its future completes. When the budget is spent,
 * {@code send} waits for room up to the configured time (0 = fail at once).
 */
final class MemoryBudget {
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private long usedBytes;

    MemoryBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** True when the bytes were reserved within the wait. A record larger than the whole budget waits for an empty budget. */
    boolean reserve(int bytes, long maxWaitNanos) throws InterruptedException {
        long needed = Math.min(bytes, maxBytes);
        lock.lock();
        try {
            long remaining = maxWaitNanos;
            while (usedBytes + needed > maxBytes) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = released.awaitNanos(remaining);
            }
            usedBytes += bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void release(long bytes) {
        if (bytes == 0) {
            return;
        }
        lock.lock();
        try {
            usedBytes -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long usedBytes() {
        lock.lock();
        try {
            return usedBytes;
        } finally {
            lock.unlock();
        }
    }

    long maxBytes() {
        return maxBytes;
    }

    static long toNanos(long duration, TimeUnit unit) {
        return unit.toNanos(duration);
    }
}
