package io.shardwise.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A live view of an application: throughput, lag per shard, leases per worker. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        header = "A live view of an application's throughput, lag per shard and leases.",
        description = {"On a terminal the view is redrawn in place every --interval seconds; otherwise one line per"
                + " interval.", "Throughput and lag are what Shardwise workers report (KCL workers report none: unknown).",
                "Runs until interrupted, or for --count views."})
final class AppWatchCommand implements Callable<Integer> {

    @Mixin
    AppOptions app;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between views (default ${DEFAULT-VALUE}).")
    double intervalSeconds;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N views.")
    Integer count;

    @Mixin
    Console console;

    @Override
    public Integer call() {
        if (!(intervalSeconds >= 0.5 && intervalSeconds <= 600)) {
            throw new CliException("--interval must be between 0.5 and 600 seconds: got " + intervalSeconds);
        }
        if (count != null && count < 1) {
            throw new CliException("--count must be at least 1: got " + count);
        }
        Duration interval = Duration.ofMillis(Math.round(intervalSeconds * 1000));
        Target target = app.connection.required("app watch");
        PrintWriter out = console.out();
        boolean live = Terminal.standardOutput();
        long start = System.nanoTime();
        try (DynamoDbClient dynamo = target.dynamoDbClient()) {
            AppTables tables = new AppTables(dynamo, app.application);
            long sampleMillis = app.sample().toMillis();
            // Liveness is judged against a read at least --sample old: heartbeats come every ~2.3 s.
            // The first view waits for a whole sample.
            List<AppSnapshot> history = new ArrayList<>(List.of(tables.read()));
            for (int shown = 0; count == null || shown < count; shown++) {
                AppOptions.sleep(shown == 0 && sampleMillis > interval.toMillis() ? Duration.ofMillis(sampleMillis) : interval);
                AppSnapshot now = tables.read();
                while (history.size() > 1 && now.readAt() - history.get(1).readAt() >= sampleMillis) {
                    history.remove(0);
                }
                Set<String> liveWorkers = now.liveSince(history.get(0));
                double seconds = (System.nanoTime() - start) / 1e9;
                if (live) {
                    StringBuilder frame = new StringBuilder("\u001b[H\u001b[2J");
                    frame(now, liveWorkers, seconds).forEach(l -> frame.append(l).append('\n'));
                    out.print(frame);
                } else {
                    out.println(line(now, liveWorkers, seconds));
                }
                out.flush();
                history.add(now);
            }
        }
        return 0;
    }

    /** Bytes per second by lease, summed over the Shardwise workers' reports; null when nobody reports. */
    private static Map<String, Long> rates(AppSnapshot now) {
        Map<String, Long> rates = new TreeMap<>();
        now.workers().forEach(w -> w.throughput().forEach((lease, rate) -> rates.merge(lease, rate, Long::sum)));
        return rates;
    }

    private static Map<String, Set<String>> leasesByWorker(AppSnapshot now) {
        Map<String, Set<String>> byWorker = new TreeMap<>();
        now.leases().stream().filter(l -> l.owner() != null)
                .forEach(l -> byWorker.computeIfAbsent(l.owner(), o -> new TreeSet<>()).add(l.leaseKey()));
        return byWorker;
    }

    private List<String> frame(AppSnapshot now, Set<String> liveWorkers, double seconds) {
        Map<String, Long> rates = rates(now);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "application %s   %s   %.0f s", app.application,
                Instant.ofEpochMilli(now.readAt()), seconds));
        lines.add("throughput  " + (rates.isEmpty() ? "unknown (no Shardwise worker reports it)"
                : kilobytes(rates.values().stream().mapToLong(Long::longValue).sum())));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("SHARD", "STATE", "OWNER", "CHECKPOINT", "LAG", "RATE"));
        for (LeaseRow l : now.leases()) {
            rows.add(List.of(l.leaseKey(), l.finished() ? "finished" : "open", l.owner() == null ? "-" : l.owner()
                    + (liveWorkers.contains(l.owner()) ? "" : " (not live)"), l.position(),
                    l.finished() ? "-" : l.millisBehindLatest() == null ? "unknown" : l.millisBehindLatest() + "ms",
                    rates.containsKey(l.leaseKey()) ? kilobytes(rates.get(l.leaseKey())) : "-"));
        }
        lines.addAll(AppDescription.columns(rows));
        lines.add("leases");
        Map<String, Set<String>> byWorker = leasesByWorker(now);
        Set<String> workers = new TreeSet<>(byWorker.keySet());
        now.workers().forEach(w -> workers.add(w.workerId()));
        for (String worker : workers) {
            Set<String> held = byWorker.getOrDefault(worker, Set.of());
            lines.add("  " + worker + (liveWorkers.contains(worker) ? " (live)" : " (not live)") + ": " + held.size()
                    + " " + held.stream().map(DemoView::shortShard).collect(Collectors.joining(",", "[", "]")));
        }
        return lines;
    }

    private static String line(AppSnapshot now, Set<String> liveWorkers, double seconds) {
        Map<String, Long> rates = rates(now);
        String throughput = rates.isEmpty() ? "unknown" : kilobytes(rates.values().stream().mapToLong(Long::longValue).sum());
        String lags = now.leases().stream().filter(l -> !l.finished())
                .map(l -> DemoView.shortShard(l.leaseKey()) + ":" + (l.millisBehindLatest() == null ? "unknown"
                        : l.millisBehindLatest() + "ms"))
                .collect(Collectors.joining(" "));
        String leases = leasesByWorker(now).entrySet().stream()
                .map(e -> e.getKey() + (liveWorkers.contains(e.getKey()) ? "" : "(not live)") + "="
                        + e.getValue().stream().map(DemoView::shortShard).collect(Collectors.joining(",", "[", "]")))
                .collect(Collectors.joining(" "));
        return String.format(Locale.ROOT, "[%6.1fs] throughput %s; lag by shard %s; leases %s", seconds, throughput,
                lags.isEmpty() ? "-" : lags, leases.isEmpty() ? "-" : leases);
    }

    private static String kilobytes(long bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f KB/s", bytesPerSecond / 1000.0);
    }
}
