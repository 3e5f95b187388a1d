package io.shardwise.cli;

import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every {@code shardwise app} command is pointed at: the application, its stream, the endpoints. */
final class AppOptions {

    @Option(names = "--app", required = true, paramLabel = "NAME",
            description = "The application name: the lease table's name (Shardwise and the KCL alike).")
    String application;

    @Option(names = "--sample", paramLabel = "SECONDS", defaultValue = "4",
            description = "Liveness is judged by counters that move over this many seconds: Shardwise heartbeats"
                    + " (every ~2.3 s) and lease renewals (the KCL renews every failover time / 3; default"
                    + " ${DEFAULT-VALUE}).")
    double sampleSeconds;

    @Mixin
    ConnectionOptions connection;

    Duration sample() {
        if (!(sampleSeconds >= 0.5 && sampleSeconds <= 120)) {
            throw new CliException("--sample must be between 0.5 and 120 seconds: got " + sampleSeconds);
        }
        return Duration.ofMillis(Math.round(sampleSeconds * 1000));
    }

    /** Two reads {@code sample} apart; the later one, and who was live in between. */
    static Sampled sampled(AppTables tables, Duration sample) {
        AppSnapshot first = tables.read();
        sleep(sample);
        AppSnapshot second = tables.read();
        return new Sampled(second, second.liveSince(first));
    }

    record Sampled(AppSnapshot snapshot, java.util.Set<String> live) {
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        }
    }
}
