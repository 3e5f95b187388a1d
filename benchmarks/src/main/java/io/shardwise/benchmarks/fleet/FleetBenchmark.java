package io.shardwise.benchmarks.fleet;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The fleet simulator: our consumer and the KCL 3.5.1 side by side on one fake Kinesis stream of N
 * shards, each with W workers, their lease tables in DynamoDB Local behind a counting relay each. Per
 * scale point it measures, for both at once: cold start (all workers started together, until every
 * shard is processing and lease counts are within one), a steady window (read and write units/s as
 * DynamoDB bills them, their on-demand cost, calls/s by kind, CPU seconds per million user records),
 * rebalance (one more worker added, until counts are within one again) and failover (the victim
 * worker's JVM SIGKILLed, until every shard it held is processing again). Then a cost model projects
 * both to a larger fleet, checked against the measured points. See benchmarks/README.md.
 *
 * <p>Args: scale points {@code SHARDSxWORKERS} (default {@code 100x4 1000x20}). Properties:
 * {@code fleet.consumers} (shardwise,kcl), {@code fleet.steadySeconds} (60), {@code fleet.settleSeconds}
 * (15), {@code fleet.timeoutSeconds} (240: the longest wait of cold start, rebalance and failover),
 * {@code fleet.periodMillis} (500: one aggregate per shard per period), {@code fleet.usersPerRecord} (5),
 * {@code fleet.projection} (10000x100), {@code fleet.logs} (the workers' stderr), {@code fleet.splitShards} (0:
 * after failover, split that many shards and time until all their children are processing).
 */
public final class FleetBenchmark {
    private static final PrintStream OUT = System.out;

    private final int steadySeconds = Integer.getInteger("fleet.steadySeconds", 60);
    private final int settleSeconds = Integer.getInteger("fleet.settleSeconds", 15);
    private final long timeoutMillis = Integer.getInteger("fleet.timeoutSeconds", 240) * 1000L;
    private final long periodMillis = Integer.getInteger("fleet.periodMillis", 500);
    private final int usersPerRecord = Integer.getInteger("fleet.usersPerRecord", 5);
    private final int splitShards = Integer.getInteger("fleet.splitShards", 0);
    private final List<String> consumers = List.of(System.getProperty("fleet.consumers", "shardwise,kcl").split(","));
    private final Path logs = Path.of(System.getProperty("fleet.logs",
            System.getProperty("java.io.tmpdir") + "/shardwise-fleet-" + System.currentTimeMillis()));

    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<int[]> points = new ArrayList<>();
        for (String arg : args.length == 0 ? new String[] {"100x4", "1000x20"} : args) {
            points.add(parseScale(arg));
        }
        int[] projection = parseScale(System.getProperty("fleet.projection", "10000x100"));
        new FleetBenchmark().run(points, projection);
        System.exit(0);
    }

    static int[] parseScale(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        try {
            int[] scale = {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
            if (parts.length != 2 || scale[0] < 1 || scale[1] < 1) {
                throw new NumberFormatException();
            }
            return scale;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a scale point is SHARDSxWORKERS with both at least 1, e.g. 100x4; was "
                    + text);
        }
    }

    private void run(List<int[]> points, int[] projection) throws Exception {
        Files.createDirectories(logs);
        OUT.printf(Locale.ROOT, "Fleet simulator: consumers %s; one aggregate of %d x 100 B user records per shard every "
                + "%d ms (%.1f user records/s per shard); steady window %d s; workers' logs in %s%n",
                consumers, usersPerRecord, periodMillis, usersPerRecord * 1000.0 / periodMillis, steadySeconds, logs);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        DynamoDBProxyServer dynamo = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-sharedDb", "-port", Integer.toString(port)});
        dynamo.start();
        Map<String, List<PointResult>> results = new LinkedHashMap<>();
        try {
            for (int[] point : points) {
                for (PointResult r : runPoint(URI.create("http://127.0.0.1:" + port), point[0], point[1])) {
                    results.computeIfAbsent(r.consumer(), k -> new ArrayList<>()).add(r);
                }
            }
        } finally {
            dynamo.stop();
        }
        OUT.printf(Locale.ROOT, "%n## Summary (prices: USD %.3f per million read units, USD %.3f per million write "
                + "units, on-demand, us-east-1; month = 730 h)%n%n", Pricing.READ_PER_MILLION, Pricing.WRITE_PER_MILLION);
        printSummary(results);
        Map<String, double[]> projected = new HashMap<>();
        results.forEach((consumer, list) -> projected.put(consumer,
                CostModel.print(OUT, consumer, list, projection[0], projection[1])));
        double[] ours = projected.get("Shardwise");
        double[] kcl = projected.get("KCL 3.5.1");
        if (ours != null && kcl != null) {
            OUT.printf(Locale.ROOT, "%nProjected cost ratio ours / KCL at (%,d, %d): %.2f (forms used, c from the largest "
                    + "point), %.2f (a priori forms, c from the smallest point)%n", projection[0], projection[1],
                    Pricing.dollarsPerMonth(ours[0], ours[1]) / Pricing.dollarsPerMonth(kcl[0], kcl[1]),
                    Pricing.dollarsPerMonth(ours[2], ours[3]) / Pricing.dollarsPerMonth(kcl[2], kcl[3]));
        }
    }

    private List<PointResult> runPoint(URI dynamoDbLocal, int shards, int workers) throws Exception {
        OUT.printf(Locale.ROOT, "%n## %,d shards, %d workers%n%n", shards, workers);
        FakeStream stream = new FakeStream("fleet-" + shards + "-" + System.currentTimeMillis() % 100000, shards,
                periodMillis, usersPerRecord);
        List<Integer> open = IntStream.range(0, shards).boxed().toList();
        List<ConsumerFleet> fleets = new ArrayList<>();
        String suffix = shards + "x" + workers + "-" + System.currentTimeMillis() % 100000;
        for (String kind : consumers) {
            fleets.add(new ConsumerFleet(kind, stream, dynamoDbLocal, "fleet-" + kind + "-" + suffix, logs));
        }
        Map<ConsumerFleet, long[]> cold = new HashMap<>();
        Map<ConsumerFleet, String> countsAtTimeout = new HashMap<>();
        try {
            long start = System.currentTimeMillis();
            for (ConsumerFleet fleet : fleets) {
                fleet.start(workers);
                cold.put(fleet, new long[] {-1, -1});
            }
            waitFor(fleets, start, (fleet, now) -> {
                long[] t = cold.get(fleet);
                if (t[0] < 0 && fleet.state.silentShards(open, now) == 0) {
                    t[0] = now - start;
                }
                if (t[1] < 0 && fleet.state.balanced(open, fleet.workers(), now)) {
                    t[1] = now - start;
                }
                return t[1] >= 0;
            });
            long now0 = System.currentTimeMillis();
            for (ConsumerFleet fleet : fleets) {
                log(fleet, "cold start: all processing %s, balanced %s; counts %s; workers restarted %d",
                        ms(cold.get(fleet)[0]), ms(cold.get(fleet)[1]), counts(fleet, open, now0), fleet.restarts());
                if (cold.get(fleet)[1] < 0) {
                    countsAtTimeout.put(fleet, countsSummary(fleet, open, now0));
                }
            }

            Thread.sleep(settleSeconds * 1000L);
            Map<ConsumerFleet, double[]> before = new HashMap<>();
            for (ConsumerFleet fleet : fleets) {
                fleet.relay.takeTally();
                fleet.kinesis.takeCallRates();
                before.put(fleet, new double[] {fleet.cpuSeconds(), fleet.records()});
            }
            long windowStart = System.nanoTime();
            Thread.sleep(steadySeconds * 1000L);
            double seconds = (System.nanoTime() - windowStart) / 1e9;
            Map<ConsumerFleet, Map<String, PointResult.KindRates>> kinds = new HashMap<>();
            Map<ConsumerFleet, Map<String, Double>> kinesisCalls = new HashMap<>();
            Map<ConsumerFleet, double[]> cpu = new HashMap<>();
            for (ConsumerFleet fleet : fleets) {
                CallTally tally = fleet.relay.takeTally();
                kinesisCalls.put(fleet, fleet.kinesis.takeCallRates());
                double cpuUsed = fleet.cpuSeconds() - before.get(fleet)[0];
                double records = fleet.records() - before.get(fleet)[1];
                cpu.put(fleet, new double[] {records > 0 ? cpuUsed / records * 1e6 : Double.NaN, records / seconds});
                Map<String, PointResult.KindRates> rates = new LinkedHashMap<>();
                for (CallTally.OpTally op : tally.ops().values()) {
                    double s = tally.seconds();
                    long calls = op.calls.sum();
                    rates.put(fleet.tableRole(op.table) + " " + op.operation, new PointResult.KindRates(calls / s, op.errors.sum() / s,
                            op.readUnits.sum() / s, op.writeUnits.sum() / s, op.indexWriteUnits.sum() / s,
                            op.reported.sum() / s, op.estimated.sum(), calls == 0 ? 0 : (double) op.items.sum() / calls));
                }
                kinds.put(fleet, rates);
                log(fleet, "steady %.0f s: %.1f user records/s, CPU %.2f s per million records", seconds,
                        records / seconds, cpu.get(fleet)[0]);
            }

            // Rebalance: one more worker.
            Map<ConsumerFleet, Long> rebalance = new HashMap<>();
            long addedAt = System.currentTimeMillis();
            for (ConsumerFleet fleet : fleets) {
                fleet.addWorker();
                rebalance.put(fleet, -1L);
            }
            waitFor(fleets, addedAt, (fleet, now) -> {
                if (rebalance.get(fleet) < 0 && fleet.state.balanced(open, fleet.workers(), now)) {
                    rebalance.put(fleet, now - addedAt);
                }
                return rebalance.get(fleet) >= 0;
            });
            long now1 = System.currentTimeMillis();
            Map<ConsumerFleet, String> rebalanceCounts = new HashMap<>();
            for (ConsumerFleet fleet : fleets) {
                if (rebalance.get(fleet) < 0) {
                    rebalanceCounts.put(fleet, countsSummary(fleet, open, now1));
                }
                log(fleet, "rebalance after adding a worker: %s; counts %s", ms(rebalance.get(fleet)),
                        counts(fleet, open, now1));
            }

            // Failover: SIGKILL the victim's JVM.
            Map<ConsumerFleet, Set<Integer>> held = new HashMap<>();
            Map<ConsumerFleet, Long> failover = new HashMap<>();
            long killAt = System.currentTimeMillis();
            for (ConsumerFleet fleet : fleets) {
                held.put(fleet, fleet.state.shardsOf(fleet.victimWorker(), killAt));
            }
            killAt = System.currentTimeMillis();
            for (ConsumerFleet fleet : fleets) {
                fleet.killVictim();
                failover.put(fleet, -1L);
            }
            long killedAt = killAt;
            waitFor(fleets, killedAt, (fleet, now) -> {
                Set<Integer> shardsHeld = held.get(fleet);
                if (shardsHeld.isEmpty()) {
                    return true; // the victim held nothing: no failover to time
                }
                if (failover.get(fleet) < 0 && fleet.state.resumed(shardsHeld, fleet.victimWorker(), killedAt)
                        == shardsHeld.size()) {
                    failover.put(fleet, now - killedAt);
                }
                return failover.get(fleet) >= 0;
            });
            for (ConsumerFleet fleet : fleets) {
                log(fleet, "failover after SIGKILL of %s (%d shards): %s", fleet.victimWorker(), held.get(fleet).size(),
                        ms(failover.get(fleet)));
            }

            // Resharding on command: split the first shards; time until all their children are processing.
            Map<ConsumerFleet, Long> reshard = new HashMap<>();
            fleets.forEach(f -> reshard.put(f, -1L));
            if (splitShards > 0) {
                Set<Integer> children = new java.util.HashSet<>();
                long splitAt = System.currentTimeMillis();
                for (int i = 0; i < Math.min(splitShards, shards); i++) {
                    stream.split(i).forEach(child -> children.add(child.index));
                }
                waitFor(fleets, splitAt, (fleet, now) -> {
                    if (reshard.get(fleet) < 0 && fleet.state.resumed(children, "", splitAt) == children.size()) {
                        reshard.put(fleet, now - splitAt);
                    }
                    return reshard.get(fleet) >= 0;
                });
                for (ConsumerFleet fleet : fleets) {
                    log(fleet, "reshard: %d shards split, all %d children processing after %s", splitShards,
                            children.size(), ms(reshard.get(fleet)));
                }
            }
            List<PointResult> results = new ArrayList<>();
            for (ConsumerFleet fleet : fleets) {
                results.add(new PointResult(fleet.label, shards, workers, cold.get(fleet)[0], cold.get(fleet)[1],
                        countsAtTimeout.getOrDefault(fleet, ""), rebalance.get(fleet),
                        rebalanceCounts.getOrDefault(fleet, ""), failover.get(fleet),
                        held.get(fleet).size(), reshard.get(fleet), cpu.get(fleet)[0], cpu.get(fleet)[1], kinds.get(fleet),
                        kinesisCalls.get(fleet)));
            }
            printPoint(results, fleets);
            return results;
        } finally {
            for (ConsumerFleet fleet : fleets) {
                fleet.close();
            }
        }
    }

    /** A condition checked for each fleet every 100 ms, until all hold it or the time-out passes. */
    private interface FleetCondition {
        boolean reached(ConsumerFleet fleet, long nowMillis) throws Exception;
    }

    private void waitFor(List<ConsumerFleet> fleets, long since, FleetCondition condition) throws Exception {
        while (System.currentTimeMillis() - since < timeoutMillis) {
            boolean all = true;
            long now = System.currentTimeMillis();
            for (ConsumerFleet fleet : fleets) {
                all &= condition.reached(fleet, now);
            }
            if (all) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private static String counts(ConsumerFleet fleet, List<Integer> open, long now) {
        return fleet.state.counts(open, fleet.workers(), now).entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")) + ", silent "
                + fleet.state.silentShards(open, now);
    }

    private static String countsSummary(ConsumerFleet fleet, List<Integer> open, long now) {
        Map<String, Integer> counts = fleet.state.counts(open, fleet.workers(), now);
        return "counts " + counts.values().stream().mapToInt(i -> i).min().orElse(0) + "-"
                + counts.values().stream().mapToInt(i -> i).max().orElse(0) + ", silent "
                + fleet.state.silentShards(open, now);
    }

    private static void log(ConsumerFleet fleet, String format, Object... args) {
        OUT.printf(Locale.ROOT, "[%s] " + format + "%n", prepend(fleet.label, args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static String ms(long millis) {
        return millis < 0 ? "not reached" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private void printPoint(List<PointResult> results, List<ConsumerFleet> fleets) {
        OUT.printf("%n| consumer | read units/s | write units/s | USD/month | cold start: all processing | "
                + "cold start: balanced | rebalance | failover | reshard | CPU s / 1M records | user records/s |%n");
        OUT.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (PointResult r : results) {
            OUT.printf(Locale.ROOT, "| %s | %.1f | %.1f | %,.0f | %s | %s | %s | %s (%d shards) | %s | %.1f | %,.0f |%n",
                    r.consumer(), r.readUnits(), r.writeUnits(), r.dollarsPerMonth(), ms(r.allProcessingMillis()),
                    r.balancedMillis() < 0 ? "not reached (" + r.countsAtTimeout() + ")" : ms(r.balancedMillis()),
                    r.rebalanceMillis() < 0 ? "not reached (" + r.rebalanceCountsAtTimeout() + ")" : ms(r.rebalanceMillis()),
                    r.failoverShards() == 0 ? "victim held no shards" : ms(r.failoverMillis()), r.failoverShards(), splitShards == 0 ? "not run" : ms(r.reshardMillis()),
                    r.cpuSecondsPerMillion(),
                    r.recordsPerSecond());
        }
        OUT.printf("%nDynamoDB calls by kind (steady window; units as billed; DynamoDB Local's own ConsumedCapacity "
                + "beside)%n%n| consumer | table | operation | calls/s | errors/s | items/call | read units/s | write units/s | "
                + "of which index | DynamoDB Local's units/s |%n|---|---|---|---:|---:|---:|---:|---:|---:|---:|%n");
        for (PointResult r : results) {
            r.kinds().forEach((kind, k) -> {
                int split = kind.lastIndexOf(' ');
                OUT.printf(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.1f | %.2f | %.2f | %.2f | %.2f%s |%n",
                        r.consumer(), kind.substring(0, split), kind.substring(split + 1), k.calls(), k.errors(),
                        k.itemsPerCall(), k.readUnits(),
                        k.writeUnits(), k.indexWriteUnits(), k.reported(),
                        k.estimatedCalls() > 0 ? " (used for " + k.estimatedCalls() + " calls)" : "");
            });
        }
        OUT.printf("%nKinesis calls by kind (steady window, calls/s)%n%n| consumer | calls/s by operation |%n|---|---|%n");
        for (PointResult r : results) {
            OUT.printf(Locale.ROOT, "| %s | %s |%n", r.consumer(), r.kinesisCalls().entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", ")));
        }
    }

    private static void printSummary(Map<String, List<PointResult>> results) {
        OUT.println("| consumer | shards x workers | read units/s | write units/s | USD/month | all processing | balanced | "
                + "rebalance | failover | CPU s / 1M records |");
        OUT.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        results.forEach((consumer, list) -> list.forEach(r -> OUT.printf(Locale.ROOT,
                "| %s | %d x %d | %.1f | %.1f | %,.0f | %s | %s | %s | %s | %.1f |%n", consumer, r.shards(), r.workers(),
                r.readUnits(), r.writeUnits(), r.dollarsPerMonth(), ms(r.allProcessingMillis()), ms(r.balancedMillis()),
                ms(r.rebalanceMillis()), ms(r.failoverMillis()), r.cpuSecondsPerMillion())));
    }
}
