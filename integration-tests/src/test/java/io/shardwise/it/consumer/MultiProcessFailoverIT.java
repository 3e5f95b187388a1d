package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Three workers in separate JVMs share six shards evenly; one is killed with SIGKILL and the two
 * others resume its shards. Prints the time from the kill until every one of its shards processes
 * again (a figure, not an assertion).
 */
@ShardwiseTest
@StreamShards(6)
class MultiProcessFailoverIT {

    @Test
    void threeJvmsShareShardsEvenlyAndResumeTheShardsOfOneKilledWithSigkill(LocalEngines engines, TestStream stream,
                                                                           LeaseTableName table) throws Exception {
        Received received = new Received();
        List<WorkerProcess> workers = new ArrayList<>();
        List<String> written;
        try (ContinuousWriter writer = new ContinuousWriter(engines.kinesisClient(), stream.name(), 24, 24, 200)) {
            try {
                for (String id : List.of("jvm-1", "jvm-2", "jvm-3")) {
                    workers.add(new WorkerProcess(engines, stream.name(), table.value(), id, received));
                }
                for (WorkerProcess w : workers) {
                    assertThat(w.awaitStarted()).as("%s started", w.workerId()).isTrue();
                }
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> ownersCount(engines, table).values().stream().allMatch(n -> n == 2)
                                && ownersCount(engines, table).size() == 3);

                WorkerProcess victim = workers.get(2);
                Set<String> victimShards = shardsOf(engines, table, victim.workerId());
                assertThat(victimShards).hasSize(2);
                Thread.sleep(1_000);
                long killedAt = System.currentTimeMillis();
                victim.kill();

                Map<String, Long> resumedAt = new HashMap<>();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    for (Received.Delivery d : received.all()) {
                        if (victimShards.contains(d.record().shardId()) && !d.worker().equals(victim.workerId())
                                && d.atNanos() > killedAt) {
                            resumedAt.putIfAbsent(d.record().shardId(), d.atNanos());
                        }
                    }
                    return resumedAt.keySet().containsAll(victimShards);
                });
                long failoverMillis = resumedAt.values().stream().mapToLong(t -> t - killedAt).max().orElseThrow();
                System.out.printf("FIGURE failover after SIGKILL: all %d shards of the killed worker processing "
                        + "again after %d ms%n", victimShards.size(), failoverMillis);

                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> ownersCount(engines, table).values().stream().allMatch(n -> n == 3)
                                && ownersCount(engines, table).size() == 2);
                written = writer.stop();
                await().atMost(Duration.ofSeconds(60)).until(() -> received.payloads().containsAll(written));
            } finally {
                for (WorkerProcess w : workers) {
                    w.close();
                }
            }
        }
        // At least once across a crash: every record written was processed; duplicates only after the kill.
        assertThat(received.payloads()).containsAll(written);
    }

    private static Map<String, Integer> ownersCount(LocalEngines engines, LeaseTableName table) {
        return LeaseItems.shardLeases(engines.dynamoDbClient(), table.value()).values().stream()
                .map(LeaseItems::owner).filter(o -> o != null)
                .collect(Collectors.toMap(o -> o, o -> 1, Integer::sum));
    }

    private static Set<String> shardsOf(LocalEngines engines, LeaseTableName table, String worker) {
        return LeaseItems.shardLeases(engines.dynamoDbClient(), table.value()).entrySet().stream()
                .filter(e -> worker.equals(LeaseItems.owner(e.getValue()))).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }
}
