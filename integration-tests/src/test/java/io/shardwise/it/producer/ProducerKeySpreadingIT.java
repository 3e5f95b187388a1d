package io.shardwise.it.producer;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.ProducerRecord;
import io.shardwise.producer.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Key spreading moves unordered records off a hot shard, leaves ordered records of a hot key on their
 * shard, and spreads a hot key that carries an ordering sub-key over buckets without breaking the order
 * of any sub-key. The hot threshold is lowered to a tenth of the shard limit so the slow local engine
 * can absorb the load.
 */
@ShardwiseTest
class ProducerKeySpreadingIT {
    @Test
    @StreamShards(4)
    void unorderedRecordsLeaveAHotShardOrderedOnesStayAndSubKeysKeepTheirOrder(
            LocalEngines engines, TestStream stream, KinesisClient kinesis) throws Exception {
        List<CompletableFuture<SendResult>> unordered = new ArrayList<>();
        List<CompletableFuture<SendResult>> ordered = new ArrayList<>();
        List<CompletableFuture<SendResult>> tenant = new ArrayList<>();
        try (KinesisProducer producer = KinesisProducer.builder().stream(stream.name())
                .endpoint(engines.kinesisEndpoint()).region(engines.region()).credentials(engines.credentials())
                .keySpreading(true, 4).hotShardFraction(0.1).build()) {
            producer.ready().get(30, TimeUnit.SECONDS);
            long start = System.nanoTime();
            int n = 0;
            while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3_000)) {
                unordered.add(producer.send(ProducerRecord.of("hot", Payloads.payload("hot", n, 120)).asUnordered()));
                ordered.add(producer.send("hot", Payloads.payload("hot", 1_000_000 + n, 120)));
                tenant.add(producer.send(ProducerRecord.of("tenant", Payloads.payload("tenant", n, 200))
                        .withOrderingSubKey("device-" + (n % 8))));
                n++;
                if (n % 10 == 0) {
                    Thread.sleep(10); // about 1,000 of each per second
                }
            }
            producer.flush().get(120, TimeUnit.SECONDS);
        }
        for (List<CompletableFuture<SendResult>> list : List.of(unordered, ordered, tenant)) {
            assertThat(list).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        }
        String hotShard = ordered.get(0).join().shardId();
        assertThat(ordered).allMatch(f -> f.join().shardId().equals(hotShard));
        Set<String> unorderedShards = unordered.stream().map(f -> f.join().shardId()).collect(Collectors.toSet());
        assertThat(unorderedShards).hasSizeGreaterThan(1);
        Set<String> tenantShards = tenant.stream().map(f -> f.join().shardId()).collect(Collectors.toSet());
        assertThat(tenantShards).hasSizeGreaterThan(1);

        // Each device's records: in order within each shard, and all of its natural-shard records before
        // all of its bucket-shard records (the switch happens once, behind a barrier).
        Map<String, Payloads.ReadBack> readBack = Payloads.readBack(kinesis, stream.name());
        assertThat(readBack).hasSize(unordered.size() + ordered.size() + tenant.size());
        String tenantNatural = tenant.get(0).join().shardId();
        Map<Integer, List<Payloads.ReadBack>> byDevice = new HashMap<>();
        readBack.values().stream().filter(r -> r.partitionKey().equals("tenant"))
                .forEach(r -> byDevice.computeIfAbsent(r.n() % 8, d -> new ArrayList<>()).add(r));
        byDevice.forEach((device, records) -> {
            Map<String, List<Integer>> byShard = records.stream().collect(Collectors.groupingBy(
                    Payloads.ReadBack::shardId, Collectors.mapping(Payloads.ReadBack::n, Collectors.toList())));
            assertThat(byShard.size()).as("shards of device %s", device).isLessThanOrEqualTo(2);
            byShard.values().forEach(ns -> assertThat(ns).isSorted());
            List<Integer> natural = byShard.getOrDefault(tenantNatural, List.of());
            byShard.forEach((shard, ns) -> {
                if (!shard.equals(tenantNatural) && !natural.isEmpty()) {
                    assertThat(natural.get(natural.size() - 1)).as("device %s crosses over once", device)
                            .isLessThan(ns.get(0));
                }
            });
        });
    }
}
