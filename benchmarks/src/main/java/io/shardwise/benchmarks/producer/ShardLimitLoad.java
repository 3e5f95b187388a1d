package io.shardwise.benchmarks.producer;

import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.ProducerRecord;
import io.shardwise.producer.RecordExpiredException;
import io.shardwise.producer.SendResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import software.amazon.kinesis.producer.UserRecordFailedException;
import software.amazon.kinesis.producer.UserRecordResult;

/**
 * One producer at a paced offered load against the shard-limited fake endpoint, in its own JVM (started
 * by {@link ShardLimitBenchmark}), everything at the producer's defaults. Sends 100-byte records over
 * 10,007 keys at {@code rate} records/s (steady, or in bursts: 5 s at twice the rate, 5 s idle), plus
 * optionally one hot key at {@code hotRate} records/s; prints LOAD-START and LOAD-END around the load,
 * then, after up to 15 s for what is still held, one result line: records sent, stored, expired,
 * failed otherwise, send-to-acknowledgement latency p50 and p99, CPU seconds per million stored.
 *
 * <p>Arguments: {@code kind port seconds rate steady|burst hotRate}; kinds: {@code shardwise-ordered},
 * {@code shardwise-unordered}, {@code shardwise-spread-unordered} (hot key unordered, key spreading on),
 * {@code shardwise-spread-ordered} (hot key ordered with sub-keys, key spreading on), {@code kpl}.
 */
final class ShardLimitLoad {
    static final String RESULT = "RESULT ";
    static final String START = "LOAD-START";
    static final String END = "LOAD-END";
    static final String HOT_KEY = "hot-key";

    private ShardLimitLoad() {}

    /** Latencies in milliseconds, 0 .. 120 s, and the outcome counts. */
    static final class Tally {
        final AtomicLongArray latencyMs = new AtomicLongArray(120_001);
        final AtomicLong stored = new AtomicLong();
        final AtomicLong expired = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        void stored(long sentNanos) {
            stored.incrementAndGet();
            latencyMs.incrementAndGet((int) Math.min(120_000, (System.nanoTime() - sentNanos) / 1_000_000));
        }

        long percentile(double p) {
            long total = 0;
            for (int i = 0; i < latencyMs.length(); i++) {
                total += latencyMs.get(i);
            }
            long rank = (long) Math.ceil(total * p);
            long seen = 0;
            for (int i = 0; i < latencyMs.length(); i++) {
                seen += latencyMs.get(i);
                if (seen >= rank && rank > 0) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** A producer as the load drives it. */
    abstract static class Target extends ProducersUnderTest.Loaded {
        Target(LongSupplier outstanding, AutoCloseable close) {
            super(outstanding, close);
        }

        abstract void send(String key, byte[] data, boolean hot, long sentNanos) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        double rate = Double.parseDouble(args[3]);
        boolean burst = args[4].equals("burst");
        double hotRate = Double.parseDouble(args[5]);
        String[] keys = new String[ProducerLoad.KEYS];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "partition-key-" + i;
        }
        byte[] data = new byte[ProducerLoad.RECORD_BYTES];
        Tally tally = new Tally();
        try (Target target = kind.equals("kpl") ? kpl(port, tally) : shardwise(port, kind, tally)) {
            double cpuStart = ProcessStats.cpuSeconds();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            System.out.println(START);
            long sent = 0;
            long hotSent = 0;
            double offered = 0;
            long last = start;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                // Bursts: 5 s at twice the rate, then 5 s idle (the same mean).
                double factor = burst ? ((now - start) / 5_000_000_000L % 2 == 0 ? 2 : 0) : 1;
                offered += (now - last) / 1e9 * rate * factor;
                last = now;
                double hotDue = (now - start) / 1e9 * hotRate;
                boolean idle = true;
                while (sent < offered) {
                    target.send(keys[(int) (sent % keys.length)], data, false, System.nanoTime());
                    sent++;
                    idle = false;
                    if (sent % 1_000 == 0 && System.nanoTime() >= end) {
                        break; // a producer that blocks must not stretch the load window
                    }
                    if (hotSent < hotDue) {
                        target.send(HOT_KEY, data, true, System.nanoTime());
                        hotSent++;
                    }
                }
                while (hotSent < hotDue) {
                    target.send(HOT_KEY, data, true, System.nanoTime());
                    hotSent++;
                    idle = false;
                }
                if (idle) {
                    Thread.sleep(1);
                }
            }
            System.out.println(END);
            long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (target.outstanding() > 0 && System.nanoTime() < drainEnd) {
                Thread.sleep(50);
            }
            double cpu = ProcessStats.cpuSeconds() - cpuStart;
            long stored = tally.stored.get();
            System.out.printf("%s%s %d %d %d %d %d %d %.2f%n", RESULT, kind, sent + hotSent, stored, tally.expired.get(),
                    tally.failed.get(), tally.percentile(0.5), tally.percentile(0.99), cpu / Math.max(1e-9, stored / 1e6));
        }
        System.exit(0);
    }

    private static Target shardwise(int port, String kind, Tally tally) throws Exception {
        boolean spread = kind.startsWith("shardwise-spread");
        boolean unordered = kind.endsWith("unordered");
        KinesisProducer.Builder builder = ProducersUnderTest.shardwise(port).ordered(!unordered);
        if (spread) {
            builder.keySpreading(true, 4);
        }
        Long bufferMiB = Long.getLong("bench.bufferMiB");
        if (bufferMiB != null) {
            builder.maxBufferedBytes(bufferMiB * 1024 * 1024); // not a default: only when asked for
        }
        KinesisProducer producer = ProducersUnderTest.ready(builder);
        return new Target(producer::outstandingRecords, () -> producer.close(Duration.ofSeconds(5))) {
            private long n;

            @Override
            public void send(String key, byte[] data, boolean hot, long sentNanos) {
                ProducerRecord record = ProducerRecord.of(key, data);
                if (hot && spread) {
                    record = unordered ? record.asUnordered() : record.withOrderingSubKey("device-" + (n++ % 64));
                }
                CompletableFuture<SendResult> future = producer.send(record);
                future.whenComplete((result, error) -> {
                    if (error == null) {
                        tally.stored(sentNanos);
                    } else if (error instanceof RecordExpiredException) {
                        tally.expired.incrementAndGet();
                    } else {
                        tally.failed.incrementAndGet();
                    }
                });
            }
        };
    }

    private static Target kpl(int tlsPort, Tally tally) throws Exception {
        software.amazon.kinesis.producer.KinesisProducer producer = ProducersUnderTest.kpl(
                ProducersUnderTest.kplConfig(tlsPort));
        return new Target(producer::getOutstandingRecordsCount, producer::destroy) {
            @Override
            public void send(String key, byte[] data, boolean hot, long sentNanos) throws Exception {
                var future = ProducersUnderTest.addBounded(producer, key, data);
                future.addListener(() -> {
                    try {
                        UserRecordResult result = future.get();
                        if (result.isSuccessful()) {
                            tally.stored(sentNanos);
                        } else {
                            classify(result, tally);
                        }
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof UserRecordFailedException failed) {
                            classify(failed.getResult(), tally);
                        } else {
                            tally.failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        tally.failed.incrementAndGet();
                    }
                }, Runnable::run);
            }
        };
    }

    /** The KPL marks a record whose time to live ran out with an attempt whose code is "Expired". */
    private static void classify(UserRecordResult result, Tally tally) {
        boolean expired = result.getAttempts().stream().anyMatch(a -> "Expired".equals(a.getErrorCode()));
        (expired ? tally.expired : tally.failed).incrementAndGet();
    }
}
