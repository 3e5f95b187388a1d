package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.faults.FaultCounts;
import io.shardwise.testkit.faults.FaultKind;
import io.shardwise.testkit.faults.FaultProxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A chaos soak: three worker JVMs and an ordered writer, for a fixed wall time, under a fault
 * schedule drawn from a seed: SIGKILLs and graceful stops with restarts, a split and a merge, and
 * Kinesis and DynamoDB faults from two {@link FaultProxy}s (the workers reach both engines only
 * through them; the writer writes through the Kinesis one). Then the faults end, the writer goes
 * on for {@value #CALM_SECONDS} s, stops, every acknowledged record is awaited, and the history of
 * every delivery, checkpoint, lost lease, kill and stop is judged by {@link SoakHistoryChecker}.
 *
 * <p>{@code -Dsoak.minutes=N} (default 2.5, the CI length: 2 minutes of chaos and 30 s of calm)
 * sets the wall time; {@code -Dsoak.seed=N} replays a schedule (the seed is printed first).
 */
@ShardwiseTest
@StreamShards(4)
class ChaosSoakIT {

    private static final int WORKERS = 3;
    private static final int CALM_SECONDS = 30;
    private static final long CHECKPOINT_MILLIS = 2_000;

    @Test
    void workersUnderChaosLoseNothingKeepOrderOwnShardsExclusivelyAndDuplicateOnlyAfterCrashes(
            LocalEngines engines, TestStream stream, LeaseTableName table) throws Exception {
        long seed = Long.getLong("soak.seed", System.nanoTime() & 0xFFFF_FFFFL);
        Duration total = Duration.ofMillis((long) (Double.parseDouble(System.getProperty("soak.minutes", "2.5"))
                * 60_000));
        Duration chaos = total.minusSeconds(CALM_SECONDS);
        assertThat(chaos).as("soak.minutes leaves no chaos phase").isPositive();
        SoakSchedule schedule = SoakSchedule.draw(seed, chaos, WORKERS);
        System.out.printf("SOAK seed=%d (replay with -Dsoak.seed=%d), %s of chaos then %d s calm%n%s", seed, seed,
                chaos, CALM_SECONDS, schedule);

        SoakRecorder recorder = new SoakRecorder();
        SoakVerdict verdict;
        Map<FaultKind, Long> kinesisFaults;
        Map<FaultKind, Long> dynamoDbFaults;
        try (FaultProxy kinesisProxy = FaultProxy.builder(engines.kinesisEndpoint()).seed(seed).start();
             FaultProxy dynamoDbProxy = FaultProxy.builder(engines.dynamoDbEndpoint()).seed(seed + 1).start();
             KinesisClient writerClient = writerClient(engines, kinesisProxy)) {
            SoakWorkers workers = new SoakWorkers(WORKERS, kinesisProxy.endpoint(), dynamoDbProxy.endpoint(),
                    stream.name(), table.value(), CHECKPOINT_MILLIS, recorder);
            try {
                workers.startAll();
                workers.awaitAllStarted();
                try (ContinuousWriter writer = new ContinuousWriter(writerClient, stream.name(), 16, 16, 200,
                        (key, n, shard, sequence) -> recorder.add(new SoakEvent.Acked(key, n, shard, sequence,
                                SoakWorkerMain.nowMicros())))) {
                    new SoakRun(schedule, workers, new SoakResharding(engines.kinesisClient(), stream.name()),
                            kinesisProxy, dynamoDbProxy, recorder).run();
                    recorder.add(new SoakEvent.FaultsEnded(SoakWorkerMain.nowMicros()));
                    System.out.printf("SOAK faults ended; %d s of calm%n", CALM_SECONDS);
                    Thread.sleep(CALM_SECONDS * 1_000L);
                    writer.stop();
                }
                awaitEveryAcknowledgedRecord(recorder);
            } finally {
                workers.close();
            }
            kinesisFaults = totals(kinesisProxy.counts());
            dynamoDbFaults = totals(dynamoDbProxy.counts());
        }

        verdict = new SoakHistoryChecker(Duration.ofSeconds(10)).check(recorder.events());
        Path historyFile = writeHistory(seed, recorder);
        long proxyFaults = kinesisFaults.values().stream().mapToLong(Long::longValue).sum()
                + dynamoDbFaults.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("SOAK seed=%d, history in %s%nSOAK faults injected: %d by the schedule, %d by the proxies "
                + "(kinesis %s, dynamodb %s)%nSOAK %s", seed, historyFile.toAbsolutePath(),
                verdict.figures().faultsInjected(), proxyFaults, kinesisFaults, dynamoDbFaults, verdict.report(10));
        assertThat(verdict.violations()).as("violations of seed %d (replay with -Dsoak.seed=%d):%n%s", seed, seed,
                verdict.report(10)).isEmpty();
    }

    /** Every event in time order, one per line, for the evidence behind a violation. */
    private static Path writeHistory(long seed, SoakRecorder recorder) throws IOException {
        Path file = Path.of("target", "soak", "history-seed-" + seed + ".txt");
        Files.createDirectories(file.getParent());
        List<String> lines = recorder.events().stream()
                .sorted(Comparator.comparingLong(SoakEvent::micros)).map(SoakEvent::toString).toList();
        Files.write(file, lines);
        return file;
    }

    /** Waits up to 90 s for the backlog; what is still missing then is for the checker to report. */
    private static void awaitEveryAcknowledgedRecord(SoakRecorder recorder) throws InterruptedException {
        for (int i = 0; i < 180 && recorder.undelivered() > 0; i++) {
            Thread.sleep(500);
        }
        System.out.printf("SOAK backlog after the writer stopped: %d records undelivered%n", recorder.undelivered());
    }

    private static Map<FaultKind, Long> totals(FaultCounts counts) {
        Map<FaultKind, Long> totals = new EnumMap<>(FaultKind.class);
        for (FaultKind kind : FaultKind.values()) {
            if (counts.injected(kind) > 0) {
                totals.put(kind, counts.injected(kind));
            }
        }
        return totals;
    }

    /** The writer rides out the proxy's faults with up to ten attempts per call. */
    private static KinesisClient writerClient(LocalEngines engines, FaultProxy proxy) {
        return KinesisClient.builder().endpointOverride(proxy.endpoint()).region(engines.region())
                .credentialsProvider(engines.credentials()).httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(10).circuitBreakerEnabled(false).build()))
                .build();
    }
}
