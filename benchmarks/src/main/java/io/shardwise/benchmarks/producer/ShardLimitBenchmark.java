package io.shardwise.benchmarks.producer;

import io.shardwise.testkit.faults.ShardLimitBucket;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Our producer and the KPL 1.1.1 at the shard limits, side by side: a fake stream of 4 shards, each
 * enforcing 1 MiB/s and 1,000 records/s with at most one second of burst and answering per-entry
 * ProvisionedThroughputExceededException over the limit ({@link FakeKinesisEndpoint#withShardLimits}).
 * Every producer runs at its defaults, in its own JVM ({@link ShardLimitLoad}); each run gets a fresh
 * endpoint (full buckets).
 *
 * <p>Scenarios: {@code a} one producer offered 2x the stream's byte capacity; {@code b} four producers
 * in four JVMs offered 2x together; {@code c} one hot key at 3x one shard's capacity over a background
 * of 50% of the stream (ours unordered with spreading, ours ordered with sub-key buckets, the KPL);
 * {@code d} offered 50% and 90% of capacity, steady and in 5 s bursts. Prints per run: stored bytes/s
 * as % of capacity (the whole load window and after its first 10 s), % of entries throttled (same
 * two windows), send-to-acknowledgement latency p50/p99, expired records, CPU s per million stored
 * records (the KPL's daemon included).
 *
 * <pre>
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *     io.shardwise.benchmarks.producer.ShardLimitBenchmark [seconds] [scenarios...] [-kinds=k1,k2] [-hotKinds=k1,k2]
 * </pre>
 */
public final class ShardLimitBenchmark {
    static final int SHARDS = 4;
    static final double CAPACITY_BYTES = SHARDS * ShardLimitBucket.BYTES_PER_SECOND;
    /** A background record as Kinesis counts it: 100 bytes of data and a key of about 18 characters. */
    static final double RECORD_KINESIS_BYTES = ProducerLoad.RECORD_BYTES + "partition-key-1234".length();
    static final double CAPACITY_RECORDS = CAPACITY_BYTES / RECORD_KINESIS_BYTES;
    static final double HOT_RECORD_BYTES = ProducerLoad.RECORD_BYTES + ShardLimitLoad.HOT_KEY.length();

    private ShardLimitBenchmark() {}

    /** One run's figures. */
    record Figures(String scenario, String producer, double storedPct, double storedPctAfter10, double throttledPct,
                   double throttledPctAfter10, long p50, long p99, long expired, long failed, double cpuPerMillion,
                   String extra) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-14s %-28s %8.1f %8.1f %8.2f %8.2f %7d %7d %9d %7d %8.2f %s", scenario,
                    producer, storedPct, storedPctAfter10, throttledPct, throttledPctAfter10, p50, p99, expired, failed,
                    cpuPerMillion, extra);
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        List<String> scenarios = new ArrayList<>();
        List<String> kinds = List.of("shardwise-ordered", "kpl");
        List<String> hotKinds = List.of("shardwise-spread-unordered", "shardwise-spread-ordered", "kpl");
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("-kinds=")) {
                kinds = List.of(args[i].substring("-kinds=".length()).split(","));
            } else if (args[i].startsWith("-hotKinds=")) {
                hotKinds = List.of(args[i].substring("-hotKinds=".length()).split(","));
            } else {
                scenarios.add(args[i]);
            }
        }
        if (scenarios.isEmpty()) {
            scenarios = List.of("a", "b", "c", "d");
        }
        List<Figures> all = new ArrayList<>();
        for (String scenario : scenarios) {
            switch (scenario) {
                case "a" -> {
                    for (String kind : kinds) {
                        all.add(run("a 1x2.0", kind, 1, seconds, 2 * CAPACITY_RECORDS, false, 0));
                    }
                }
                case "b" -> {
                    for (String kind : kinds) {
                        all.add(run("b 4x0.5", kind, 4, seconds, 2 * CAPACITY_RECORDS / 4, false, 0));
                    }
                }
                case "c" -> {
                    double hotRate = 3 * ShardLimitBucket.BYTES_PER_SECOND / HOT_RECORD_BYTES;
                    for (String kind : hotKinds) {
                        all.add(run("c hot3x+bg0.5", kind, 1, seconds, 0.5 * CAPACITY_RECORDS, false, hotRate));
                    }
                }
                case "d" -> {
                    for (double level : new double[] {0.5, 0.9}) {
                        for (boolean burst : new boolean[] {false, true}) {
                            for (String kind : kinds) {
                                all.add(run("d " + level + (burst ? " burst" : " steady"), kind, 1, seconds,
                                        level * CAPACITY_RECORDS, burst, 0));
                            }
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown scenario " + scenario + "; use a, b, c or d");
            }
        }
        System.out.println();
        System.out.printf("%-14s %-28s %8s %8s %8s %8s %7s %7s %9s %7s %8s %s%n", "scenario", "producer", "stored%",
                "st%>10s", "thr%", "thr%>10s", "p50ms", "p99ms", "expired", "failed", "cpu/1M", "notes");
        all.forEach(System.out::println);
    }

    private static Figures run(String scenario, String kind, int producers, int seconds, double ratePerProducer,
                               boolean burst, double hotRate) throws Exception {
        try (FakeKinesisEndpoint endpoint = FakeKinesisEndpoint.withShardLimits(SHARDS)) {
            int port = kind.equals("kpl") ? endpoint.tlsPort() : endpoint.plainPort();
            List<Child> children = new ArrayList<>();
            for (int i = 0; i < producers; i++) {
                children.add(new Child(scenario + "/" + kind + (producers > 1 ? "#" + i : ""), List.of(kind,
                        String.valueOf(port), String.valueOf(seconds), String.valueOf(ratePerProducer),
                        burst ? "burst" : "steady", String.valueOf(hotRate))));
            }
            CompletableFuture.allOf(children.stream().map(c -> c.done).toArray(CompletableFuture[]::new)).join();
            long loadStart = children.stream().mapToLong(c -> c.startNanos).max().orElseThrow();
            long loadEnd = children.stream().mapToLong(c -> c.endNanos).min().orElseThrow();
            ShardLimitStats stats = endpoint.stats();
            int from = stats.secondOf(loadStart) + 1;
            int to = stats.secondOf(loadEnd);
            ShardLimitStats.Totals whole = stats.totals(from, to, -1);
            ShardLimitStats.Totals after = stats.totals(from + 10, to, -1);
            long sent = 0;
            long stored = 0;
            long expired = 0;
            long failed = 0;
            long p50 = 0;
            long p99 = 0;
            double cpu = 0;
            for (Child child : children) {
                String[] f = child.result.trim().split(" +");
                sent += Long.parseLong(f[1]);
                stored += Long.parseLong(f[2]);
                expired += Long.parseLong(f[3]);
                failed += Long.parseLong(f[4]);
                p50 = Math.max(p50, Long.parseLong(f[5]));
                p99 = Math.max(p99, Long.parseLong(f[6]));
                cpu += Double.parseDouble(f[7]) * Long.parseLong(f[2]) / 1e6;
            }
            StringBuilder extra = new StringBuilder(String.format(Locale.ROOT, "sent=%d stored=%d window=%ds entries/s=%.0f avgEntryBytes=%.0f",
                    sent, stored, to - from, (double) whole.storedEntries() / Math.max(1, whole.seconds()),
                    (double) whole.storedBytes() / Math.max(1, whole.storedEntries())));
            if (producers > 1) {
                extra.append(" per-producer-stored=");
                children.forEach(c -> extra.append(c.result.trim().split(" +")[2]).append(','));
            }
            if (hotRate > 0) {
                int hotShard = shardOf(ShardLimitLoad.HOT_KEY);
                extra.append(" hotShard=").append(hotShard);
                for (int[] window : new int[][] {{from, to}, {from + 10, to}}) {
                    double hotBytes = stats.totals(window[0], window[1], hotShard).bytesPerSecond();
                    double others = stats.totals(window[0], window[1], -1).bytesPerSecond() - hotBytes;
                    // The background lands evenly on the 4 shards; what the other shards store beyond their part
                    // of it is spread hot-key data. Their leftover capacity is 3 MiB/s less that part.
                    double backgroundOthers = 0.75 * ratePerProducer * RECORD_KINESIS_BYTES;
                    double leftover = 3 * ShardLimitBucket.BYTES_PER_SECOND - backgroundOthers;
                    extra.append(String.format(Locale.ROOT, " [%s] hot%%=%.1f others%%=%.1f spreadUseOfLeftover%%=%.1f",
                            window[0] == from ? "all" : ">10s", 100 * hotBytes / ShardLimitBucket.BYTES_PER_SECOND,
                            100 * others / (3 * ShardLimitBucket.BYTES_PER_SECOND), 100 * (others - backgroundOthers) / leftover));
                }
            }
            Figures figures = new Figures(scenario, kind, 100 * whole.bytesPerSecond() / CAPACITY_BYTES,
                    100 * after.bytesPerSecond() / CAPACITY_BYTES, 100 * whole.throttledShare(),
                    100 * after.throttledShare(), p50, p99, expired, failed, cpu / Math.max(1e-9, stored / 1e6),
                    extra.toString());
            System.out.println("== " + figures);
            return figures;
        }
    }

    /** The shard (of 4 even ones) that owns a partition key. */
    static int shardOf(String partitionKey) throws Exception {
        BigInteger hash = new BigInteger(1, MessageDigest.getInstance("MD5")
                .digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
        return hash.shiftRight(126).intValue();
    }

    /** One producer JVM: records when its load starts and ends, and its result line. */
    private static final class Child {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile long startNanos;
        volatile long endNanos;
        volatile String result;

        Child(String name, List<String> args) throws Exception {
            String java = new File(System.getProperty("java.home"), "bin/java").getPath();
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(List.of(System.getProperty("bench.jvm", "-Xmx256m -XX:+UseSerialGC").split(" ")));
            command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                    System.getProperty("java.class.path"), ShardLimitLoad.class.getName()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.equals(ShardLimitLoad.START)) {
                            startNanos = System.nanoTime();
                        } else if (line.equals(ShardLimitLoad.END)) {
                            endNanos = System.nanoTime();
                        } else if (line.startsWith(ShardLimitLoad.RESULT)) {
                            result = line.substring(ShardLimitLoad.RESULT.length());
                        } else {
                            System.out.println("[" + name + "] " + line);
                        }
                    }
                    int exit = process.waitFor();
                    if (result == null || exit != 0) {
                        done.completeExceptionally(new IllegalStateException(name + " ended with exit code " + exit
                                + " and no result"));
                    } else {
                        done.complete(null);
                    }
                } catch (Exception e) {
                    done.completeExceptionally(e);
                }
            });
            reader.setDaemon(true);
            reader.start();
        }
    }
}
