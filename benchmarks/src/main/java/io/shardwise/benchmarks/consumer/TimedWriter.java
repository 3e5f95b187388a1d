package io.shardwise.benchmarks.consumer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Writes {@code perSecond} records a second (in 10 PutRecords calls) whose payload is the epoch
 * millisecond just before the call, so a consumer in any JVM on this machine can compute the
 * send-to-process latency.
 */
final class TimedWriter implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;

    TimedWriter(KinesisClient kinesis, String stream, int perSecond) {
        int perCall = Math.max(1, perSecond / 10);
        thread = new Thread(() -> {
            long n = 0;
            long next = System.currentTimeMillis();
            while (running) {
                List<PutRecordsRequestEntry> entries = new ArrayList<>();
                long sentAt = System.currentTimeMillis();
                for (int i = 0; i < perCall; i++, n++) {
                    entries.add(PutRecordsRequestEntry.builder().partitionKey("key-" + n)
                            .data(SdkBytes.fromString(sentAt + ":" + n, StandardCharsets.UTF_8)).build());
                }
                try {
                    kinesis.putRecords(b -> b.streamName(stream).records(entries));
                } catch (RuntimeException e) {
                    System.err.println("put failed: " + e);
                }
                next += 100;
                long sleep = next - System.currentTimeMillis();
                if (sleep > 0) {
                    try {
                        Thread.sleep(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "bench-writer");
        thread.setDaemon(true);
        thread.start();
    }

    static long sentAt(byte[] payload) {
        String s = new String(payload, StandardCharsets.UTF_8);
        return Long.parseLong(s.substring(0, s.indexOf(':')));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
