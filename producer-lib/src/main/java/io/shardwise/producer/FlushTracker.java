package io.shardwise.producer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Counts the user records without a result and completes each flush once every record appended before
 * it has one. Records are numbered in append order, so a flush waits for the records up to a number.
 * Guarded by the accumulator's lock.
 */
final class FlushTracker {
    private long nextId;
    private long outstanding;
    private final List<Waiter> waiters = new ArrayList<>();

    private static final class Waiter {
        final long upToId;
        long remaining;
        final CompletableFuture<Void> future = new CompletableFuture<>();

        Waiter(long upToId, long remaining) {
            this.upToId = upToId;
            this.remaining = remaining;
        }
    }

    void appended(PendingRecord record) {
        record.id = nextId++;
        outstanding++;
    }

    /** A future that completes when every record appended so far has a result. */
    CompletableFuture<Void> flush() {
        if (outstanding == 0) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter waiter = new Waiter(nextId - 1, outstanding);
        waiters.add(waiter);
        return waiter.future;
    }

    boolean flushing() {
        return !waiters.isEmpty();
    }

    long outstanding() {
        return outstanding;
    }

    /**
     * Marks records as finished (their futures are about to complete; a record finished before is
     * skipped). Returns the bytes to give back to the memory budget; adds the flushes that waited only
     * for these to {@code flushesDone}, to be completed outside the lock.
     */
    long finish(Collection<PendingRecord> records, List<CompletableFuture<Void>> flushesDone) {
        long freed = 0;
        for (PendingRecord record : records) {
            if (record.done) {
                continue;
            }
            record.done = true;
            outstanding--;
            freed += record.budgetBytes();
            for (Waiter waiter : waiters) {
                if (record.id <= waiter.upToId) {
                    waiter.remaining--;
                }
            }
        }
        waiters.removeIf(waiter -> {
            if (waiter.remaining <= 0) {
                flushesDone.add(waiter.future);
                return true;
            }
            return false;
        });
        return freed;
    }
}
