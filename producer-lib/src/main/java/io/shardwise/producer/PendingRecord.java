package io.shardwise.producer;

import io.shardwise.aggregation.HashKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A user record the producer holds, from {@code send} until its result. It is itself the future that
 * {@code send} returns: one object per held record instead of a record plus a future, with the hash key
 * as two longs and no attempt list until an attempt fails. Tens of thousands of records are held at a
 * time, each for about a round trip, so every byte here is multiplied by that count in the live heap
 * that each young collection copies.
 *
 * <p>Futures made from this one ({@code thenApply} ...) are plain {@link CompletableFuture}s.
 */
final class PendingRecord extends CompletableFuture<SendResult> {
    /** Bytes charged to the memory budget beyond key and data: this object, queue slots, its share of copies. */
    static final int OVERHEAD_BYTES = 160;

    /** Send order, given by the accumulator as the record enters its queue. */
    long id;
    /** Set once the future is completed (or about to be), so a record is finished once. */
    boolean done;
    final boolean unordered;
    final String partitionKey;
    final String explicitHashKey;
    final byte[] data;
    final long hashHigh;
    final long hashLow;
    final int kinesisBytes;
    final long createdNanos;
    /** Null until the first attempt that did not finish the record (most records never have one). */
    private List<Attempt> attempts;
    /**
     * For a record of a hot key moved to a spreading bucket: completes when every record of that key
     * sent before the move has a result. The record is not sent before, so per-key order holds across
     * the move. Null for all other records.
     */
    CompletableFuture<Void> barrier;

    PendingRecord(String partitionKey, String explicitHashKey, byte[] data, HashKey hashKey,
                  int kinesisBytes, boolean unordered, long createdNanos) {
        this.partitionKey = partitionKey;
        this.explicitHashKey = explicitHashKey;
        this.data = data;
        this.hashHigh = hashKey.high();
        this.hashLow = hashKey.low();
        this.kinesisBytes = kinesisBytes;
        this.unordered = unordered;
        this.createdNanos = createdNanos;
    }

    HashKey hashKey() {
        return new HashKey(hashHigh, hashLow);
    }

    int budgetBytes() {
        return budgetBytes(kinesisBytes);
    }

    long deadlineNanos(long ttlNanos) {
        return createdNanos + ttlNanos;
    }

    /** Every attempt recorded so far, oldest first (an unmodifiable view; empty before the first). */
    List<Attempt> attempts() {
        return attempts == null ? List.of() : java.util.Collections.unmodifiableList(attempts);
    }

    int attemptCount() {
        return attempts == null ? 0 : attempts.size();
    }

    void addAttempt(Attempt attempt) {
        if (attempts == null) {
            attempts = new ArrayList<>(2);
        }
        attempts.add(attempt);
    }

    boolean held() {
        return barrier != null && !barrier.isDone();
    }

    static int budgetBytes(int kinesisBytes) {
        return kinesisBytes + OVERHEAD_BYTES;
    }
}
