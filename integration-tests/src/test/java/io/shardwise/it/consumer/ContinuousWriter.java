package io.shardwise.it.consumer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Writes "key:n" records on a thread, one PutRecords of {@code perRound} records (n growing, keys in
 * turn) every {@code pauseMillis}, so each key's records are numbered in write order.
 */
final class ContinuousWriter implements AutoCloseable {
    private final KinesisClient kinesis;
    private final String stream;
    private final int keys;
    private final int perRound;
    private final long pauseMillis;
    private final AckListener acks;
    private final List<String> written = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    /** Hears of every record the stream acknowledged, once, in write order. */
    @FunctionalInterface
    interface AckListener {
        void acked(String key, long n, String shardId, String sequenceNumber);
    }

    ContinuousWriter(KinesisClient kinesis, String stream, int keys, int perRound, long pauseMillis) {
        this(kinesis, stream, keys, perRound, pauseMillis, (key, n, shard, sequence) -> { });
    }

    ContinuousWriter(KinesisClient kinesis, String stream, int keys, int perRound, long pauseMillis,
                     AckListener acks) {
        this.acks = acks;
        this.kinesis = kinesis;
        this.stream = stream;
        this.keys = keys;
        this.perRound = perRound;
        this.pauseMillis = pauseMillis;
        this.thread = new Thread(this::run, "test-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        int n = 0;
        try {
            while (running) {
                List<PutRecordsRequestEntry> entries = new ArrayList<>();
                List<String> payloads = new ArrayList<>();
                int first = n;
                for (int i = 0; i < perRound; i++, n++) {
                    String key = "key-" + (n % keys);
                    String payload = key + ":" + n;
                    payloads.add(payload);
                    entries.add(PutRecordsRequestEntry.builder().partitionKey(key)
                            .data(SdkBytes.fromString(payload, StandardCharsets.UTF_8)).build());
                }
                // One entry per key and round: a retried entry can never overtake a later one of its key.
                List<PutRecordsResultEntry> results = Writes.put(kinesis, stream, entries);
                for (int i = 0; i < results.size(); i++) {
                    acks.acked(entries.get(i).partitionKey(), first + i, results.get(i).shardId(),
                            results.get(i).sequenceNumber());
                }
                synchronized (written) {
                    written.addAll(payloads);
                }
                Thread.sleep(pauseMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    List<String> written() {
        synchronized (written) {
            return new ArrayList<>(written);
        }
    }

    /** Stops writing and returns everything written. */
    List<String> stop() throws InterruptedException {
        running = false;
        thread.join(30_000);
        if (failure != null) {
            throw failure;
        }
        return written();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }
}
