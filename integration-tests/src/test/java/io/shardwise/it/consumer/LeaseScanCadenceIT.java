package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.it.support.Reshard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A steady fleet reads only the small worker table each round; the lease table is scanned when the
 * worker table shows a reason. The safety-net scan interval is set to ten minutes here, so every
 * change below (a worker joining and asking for leases, a worker leaving, a split) is noticed
 * through those reasons alone: a handoff request rings the owner's doorbell, a graceful stop removes
 * the worker's item, and a finished parent or a created child bumps the lease-change count.
 */
@ShardwiseTest
@StreamShards(6)
class LeaseScanCadenceIT {

    private static final Duration NO_SAFETY_SCAN = Duration.ofMinutes(10);

    @Test
    void steadyWorkersDoNotScanTheLeaseTable_changesAreSeenThroughTheWorkerTable(
            LocalEngines engines, TestStream stream, LeaseTableName table) throws Exception {
        Received received = new Received();
        KinesisClient kinesis = engines.kinesisClient();
        Map<String, SimpleMeterRegistry> registries = new LinkedHashMap<>();
        List<ShardwiseConsumer> fleet = new ArrayList<>();
        List<String> written;
        try (ContinuousWriter writer = new ContinuousWriter(kinesis, stream.name(), 12, 12, 100)) {
            for (String id : List.of("a", "b", "c")) {
                fleet.add(start(engines, stream, table, id, received, registries));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> counts(fleet).equals(List.of(2, 2, 2)));

            // Steady: about 20 rounds per worker in the next 4 s, and no reason to scan.
            Map<String, Double> before = scans(registries);
            Thread.sleep(4_000);
            Map<String, Double> after = scans(registries);
            double steadyScans = after.values().stream().mapToDouble(Double::doubleValue).sum()
                    - before.values().stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf("lease-table scans by 3 steady workers in 4 s: %.0f (before: every round, ~72)%n",
                    steadyScans);
            assertThat(steadyScans).as("scans of a steady fleet in 4 s (3 workers, ~24 rounds each)")
                    .isLessThanOrEqualTo(3);

            // A fourth worker joins: it can only get leases by asking (every lease is held), and the
            // owners hear of the requests through their doorbells.
            ShardwiseConsumer d = start(engines, stream, table, "d", received, registries);
            fleet.add(d);
            await().atMost(Duration.ofSeconds(60)).until(() -> d.heldShards().size() >= 1
                    && spread(fleet) <= 1 && total(fleet) == 6);

            // A graceful stop: the others see the worker's item go and take its released leases.
            ShardwiseConsumer leaving = fleet.remove(0);
            leaving.close();
            await().atMost(Duration.ofSeconds(60)).until(() -> total(fleet) == 6 && spread(fleet) <= 1);

            // A split: the parent's owner finishes it; the children's leases are taken (by whichever
            // worker) once the change count moves.
            Reshard.splitInHalf(kinesis, stream.name(), Reshard.openShards(kinesis, stream.name()).get(0));
            Reshard.awaitActive(kinesis, stream.name());
            await().atMost(Duration.ofSeconds(90)).until(() -> total(fleet) == 7 && spread(fleet) <= 1);
            Thread.sleep(1_000);
            written = writer.stop();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.payloads().containsAll(written));
        } finally {
            fleet.forEach(ShardwiseConsumer::close);
        }
        assertThat(Set.copyOf(received.payloads())).containsAll(written);
        ConsumerDeliveryIT.assertPerKeyOrder(received);
    }

    private static ShardwiseConsumer start(LocalEngines engines, TestStream stream, LeaseTableName table, String id,
                                           Received received, Map<String, SimpleMeterRegistry> registries) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registries.put(id, registry);
        ShardwiseConsumer consumer = LocalWorkers.worker(engines, stream, table, id)
                .leaseScanInterval(NO_SAFETY_SCAN)
                .meterRegistry(registry)
                .recordHandler(r -> received.add(id, r)).build();
        consumer.start();
        return consumer;
    }

    private static Map<String, Double> scans(Map<String, SimpleMeterRegistry> registries) {
        return registries.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().counter("shardwise.consumer.leasetable.scans").count()));
    }

    private static List<Integer> counts(List<ShardwiseConsumer> fleet) {
        return fleet.stream().map(c -> c.heldShards().size()).toList();
    }

    private static int total(List<ShardwiseConsumer> fleet) {
        return counts(fleet).stream().mapToInt(Integer::intValue).sum();
    }

    private static int spread(List<ShardwiseConsumer> fleet) {
        List<Integer> counts = counts(fleet);
        return counts.stream().max(Integer::compare).orElse(0) - counts.stream().min(Integer::compare).orElse(0);
    }
}
