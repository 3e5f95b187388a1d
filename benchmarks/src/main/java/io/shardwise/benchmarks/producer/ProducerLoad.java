package io.shardwise.benchmarks.producer;

import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.SendResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One producer under load, in its own JVM (started by {@link ProducerBenchmark}): sends 100-byte records
 * over 10,007 keys as fast as the producer takes them, warms up, then measures completed user records,
 * CPU time and peak memory over a window, and prints one result line.
 */
final class ProducerLoad {
    static final String RESULT = "RESULT ";
    static final int SHARDS = 4;
    static final int KEYS = 10_007;
    static final int RECORD_BYTES = 100;
    /**
     * What each producer may hold: ours by its own byte bound, the KPL (which never pushes back) by the
     * caller's loop ({@link ProducersUnderTest#KPL_OUTSTANDING}). The defaults bound both near 60,000
     * user records of this size (our budget charges 118 bytes of data and key plus 160 bytes of
     * bookkeeping per record).
     */
    static final long BUFFER_MIB = Long.getLong("bench.bufferMiB", 16);

    private ProducerLoad() {}

    /** A producer as the load drives it. */
    abstract static class Target extends ProducersUnderTest.Loaded {
        Target(LongSupplier outstanding, AutoCloseable close) {
            super(outstanding, close);
        }

        abstract void send(String key, byte[] data) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String run = args[0];
        int port = Integer.parseInt(args[1]);
        long warmupNanos = TimeUnit.SECONDS.toNanos(Integer.parseInt(args[2]));
        long measureNanos = TimeUnit.SECONDS.toNanos(Integer.parseInt(args[3]));
        String[] keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "partition-key-" + i;
        }
        byte[] data = new byte[RECORD_BYTES];
        AtomicLong failures = new AtomicLong(); // of every 1,000th record: watching each would cost the producers
        try (Target target = run.equals("kpl") ? kpl(port, failures) : shardwise(port, run.endsWith("unordered"), failures)) {
            long sent = 0;
            long start = System.nanoTime();
            long measureStart = start + warmupNanos;
            long measureEnd = measureStart + measureNanos;
            long completedAtStart = -1;
            double cpuAtStart = 0;
            while (true) {
                long now = System.nanoTime();
                if (completedAtStart < 0 && now >= measureStart) {
                    completedAtStart = sent - target.outstanding();
                    cpuAtStart = ProcessStats.cpuSeconds();
                }
                if (now >= measureEnd) {
                    break;
                }
                for (int i = 0; i < 1_000; i++) {
                    target.send(keys[(int) (sent % KEYS)], data);
                    sent++;
                }
            }
            long completed = sent - target.outstanding() - completedAtStart;
            double cpu = ProcessStats.cpuSeconds() - cpuAtStart;
            double seconds = measureNanos / 1e9;
            double peak = ProcessStats.peakRssMiB();
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " records failed");
            }
            System.out.printf("%s%-22s %14.0f %22.2f %14.0f%n", RESULT, run, completed / seconds,
                    cpu / (completed / 1e6), peak);
        }
        System.exit(0);
    }

    private static Target shardwise(int port, boolean unordered, AtomicLong failures) throws Exception {
        KinesisProducer producer = ProducersUnderTest.ready(ProducersUnderTest.shardwise(port)
                .ordered(!unordered).shardRateLimit(0).maxInFlightRequestsPerShard(8)
                .maxBufferedBytes(BUFFER_MIB * 1024 * 1024));
        return new Target(producer::outstandingRecords, () -> producer.close(Duration.ofSeconds(30))) {
            private long n;

            @Override
            public void send(String key, byte[] data) {
                CompletableFuture<SendResult> future = producer.send(key, data);
                if (++n % 1_000 == 0) {
                    future.whenComplete((r, e) -> {
                        if (e != null) {
                            failures.incrementAndGet();
                        }
                    });
                }
            }
        };
    }

    private static Target kpl(int tlsPort, AtomicLong failures) throws Exception {
        software.amazon.kinesis.producer.KinesisProducer producer = ProducersUnderTest.kpl(
                ProducersUnderTest.kplConfig(tlsPort).setAggregationEnabled(true)
                        .setRateLimit(Long.MAX_VALUE / 1_000_000).setRecordTtl(60_000));
        return new Target(producer::getOutstandingRecordsCount, () -> {
            producer.flushSync();
            producer.destroy();
        }) {
            private long n;

            @Override
            public void send(String key, byte[] data) throws Exception {
                var future = ProducersUnderTest.addBounded(producer, key, data);
                if (++n % 1_000 == 0) {
                    future.addListener(() -> {
                        try {
                            if (!future.get().isSuccessful()) {
                                failures.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }, Runnable::run);
                }
            }
        };
    }
}
