package io.shardwise.producer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A user record the producer holds, from {@code send} until its future completes. */
final class PendingRecord {
    /** Bytes charged to the memory budget beyond key and data: this object, its future, list, etc. */
    static final int OVERHEAD_BYTES = 160;

    /** Send order, given by the accumulator as the record enters its queue. */
    long id;
    /** Set once the future is completed (or about to be), so a record is finished once. */
    boolean done;
    final String partitionKey;
    final String explicitHashKey;
    final byte[] data;
    final BigInteger hashKey;
    final int kinesisBytes;
    final int budgetBytes;
    final boolean unordered;
    final long createdNanos;
    final long deadlineNanos;
    final CompletableFuture<SendResult> future = new CompletableFuture<>();
    final List<Attempt> attempts = new ArrayList<>(1);
    /**
     * For a record of a hot key moved to a spreading bucket: completes when every record of that key
     * sent before the move has a result. The record is not sent before, so per-key order holds across
     * the move. Null for all other records.
     */
    CompletableFuture<Void> barrier;

    PendingRecord(String partitionKey, String explicitHashKey, byte[] data, BigInteger hashKey,
                  int kinesisBytes, boolean unordered, long createdNanos, long deadlineNanos) {
        this.partitionKey = partitionKey;
        this.explicitHashKey = explicitHashKey;
        this.data = data;
        this.hashKey = hashKey;
        this.kinesisBytes = kinesisBytes;
        this.budgetBytes = budgetBytes(kinesisBytes);
        this.unordered = unordered;
        this.createdNanos = createdNanos;
        this.deadlineNanos = deadlineNanos;
    }

    boolean held() {
        return barrier != null && !barrier.isDone();
    }

    static int budgetBytes(int kinesisBytes) {
        return kinesisBytes + OVERHEAD_BYTES;
    }
}
