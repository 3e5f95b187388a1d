package io.shardwise.benchmarks.producer;

import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.SendResult;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.kinesis.producer.KinesisProducerConfiguration;

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
     * caller's loop. The defaults bound both near 60,000 user records of this size (our budget charges
     * 118 bytes of data and key plus 160 bytes of bookkeeping per record).
     */
    static final long BUFFER_MIB = Long.getLong("bench.bufferMiB", 16);
    static final long KPL_OUTSTANDING = Long.getLong("bench.kplOutstanding", 60_000);

    private ProducerLoad() {}

    /** What the load needs from a producer. */
    interface Target extends AutoCloseable {
        void send(String key, byte[] data) throws Exception;

        long outstanding();

        long failures();
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
        try (Target target = run.equals("kpl") ? kpl(port) : shardwise(port, run.endsWith("unordered"))) {
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
            if (target.failures() > 0) {
                throw new IllegalStateException(target.failures() + " records failed");
            }
            System.out.printf("%s%-22s %14.0f %22.2f %14.0f%n", RESULT, run, completed / seconds,
                    cpu / (completed / 1e6), peak);
        }
        System.exit(0);
    }

    private static Target shardwise(int port, boolean unordered) throws Exception {
        KinesisProducer producer = KinesisProducer.builder().stream("bench")
                .endpoint(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .ordered(!unordered).shardRateLimit(0).maxInFlightRequestsPerShard(8)
                .maxBufferedBytes(BUFFER_MIB * 1024 * 1024).build();
        producer.ready().get(30, TimeUnit.SECONDS);
        AtomicLong failures = new AtomicLong();
        return new Target() {
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

            @Override
            public long outstanding() {
                return producer.outstandingRecords();
            }

            @Override
            public long failures() {
                return failures.get();
            }

            @Override
            public void close() {
                producer.close(Duration.ofSeconds(30));
            }
        };
    }

    private static Target kpl(int tlsPort) throws Exception {
        KinesisProducerConfiguration config = new KinesisProducerConfiguration()
                .setRegion("us-east-1")
                .setCredentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .setKinesisEndpoint("127.0.0.1").setKinesisPort(tlsPort).setVerifyCertificate(false)
                .setMetricsLevel("none").setLogLevel("warning").setAggregationEnabled(true)
                .setRateLimit(Long.MAX_VALUE / 1_000_000).setRecordTtl(60_000);
        software.amazon.kinesis.producer.KinesisProducer producer = new software.amazon.kinesis.producer.KinesisProducer(config);
        // Let the KPL load its shard map before the load: it aggregates only once it has one.
        Thread.sleep(3_000);
        AtomicLong failures = new AtomicLong();
        return new Target() {
            private long n;

            @Override
            public void send(String key, byte[] data) throws Exception {
                // The KPL never pushes back: bound what it holds, as its documentation asks of callers.
                while (producer.getOutstandingRecordsCount() > KPL_OUTSTANDING) {
                    Thread.sleep(1);
                }
                var future = producer.addUserRecord("bench", key, java.nio.ByteBuffer.wrap(data));
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

            @Override
            public long outstanding() {
                return producer.getOutstandingRecordsCount();
            }

            @Override
            public long failures() {
                return failures.get();
            }

            @Override
            public void close() {
                producer.flushSync();
                producer.destroy();
            }
        };
    }
}
