package io.shardwise.it.interop;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.aggregation.Deaggregation;
import io.shardwise.it.support.Kpl;
import io.shardwise.it.support.StreamReader;
import io.shardwise.it.support.StreamReader.StoredRecord;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.producer.KinesisProducer;
import software.amazon.kinesis.producer.UserRecordResult;

/**
 * The real KPL writes aggregates; our deaggregator must recover every user record byte for byte,
 * with its partition key and explicit hash key, and find none outside its shard.
 */
@ShardwiseTest
class KplToShardwiseIT {
    private static final int RECORDS = 3_000;
    private static final int KEYS = 700;

    record Sent(String partitionKey, String explicitHashKey, byte[] data, boolean aggregated) {}

    @Test
    @StreamShards(2)
    void ourDeaggregatorRecoversEveryKplUserRecord(LocalEngines engines, TestStream stream, KinesisClient kinesis)
            throws Exception {
        Random random = new Random(20261122);
        KinesisProducer kpl = Kpl.against(engines);
        try {
            Kpl.warmUp(kpl, stream.name(), "warm-up");

            List<Sent> sent = new ArrayList<>();
            List<com.google.common.util.concurrent.ListenableFuture<UserRecordResult>> futures = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                String key = "key-" + random.nextInt(KEYS) + (i % 7 == 0 ? "-ünïcødé-✓" : "");
                String explicitHashKey = i % 10 == 0 ? new BigInteger(127, random).toString() : null;
                byte[] data = new byte[random.nextInt(300)];
                random.nextBytes(data);
                sent.add(new Sent(key, explicitHashKey, data, false));
                futures.add(kpl.addUserRecord(stream.name(), key, explicitHashKey, ByteBuffer.wrap(data)));
            }
            kpl.flushSync();
            for (var future : futures) {
                assertThat(future.get(120, TimeUnit.SECONDS).isSuccessful()).isTrue();
            }

            List<StoredRecord> stored = new StreamReader(kinesis).readAll(stream.name());
            Map<String, List<Sent>> received = new HashMap<>();
            int aggregates = 0;
            int outsideRange = 0;
            for (StoredRecord record : stored) {
                Deaggregation result = record.deaggregate();
                if (result.aggregated()) {
                    aggregates++;
                }
                outsideRange += result.outsideShardRangeCount();
                for (DeaggregatedRecord user : result.records()) {
                    if (!user.partitionKey().equals("warm-up")) {
                        received.computeIfAbsent(user.partitionKey(), k -> new ArrayList<>())
                                .add(new Sent(user.partitionKey(), user.explicitHashKey(), user.data(), user.aggregated()));
                    }
                }
            }

            assertThat(aggregates).as("Kinesis records the KPL aggregated").isGreaterThan(0);
            assertThat(outsideRange).as("sub-records outside their shard's range").isZero();
            assertThat(received.values().stream().mapToInt(List::size).sum()).isEqualTo(RECORDS);
            Map<String, List<Sent>> expected = new HashMap<>();
            sent.forEach(s -> expected.computeIfAbsent(s.partitionKey(), k -> new ArrayList<>()).add(s));
            for (Map.Entry<String, List<Sent>> entry : expected.entrySet()) {
                List<Sent> unmatched = new ArrayList<>(entry.getValue());
                for (Sent got : received.getOrDefault(entry.getKey(), List.of())) {
                    Sent match = unmatched.stream().filter(s -> matches(got, s)).findFirst().orElse(null);
                    assertThat(match).as("a sent record of key %s for a received one", entry.getKey()).isNotNull();
                    unmatched.remove(match);
                }
                assertThat(unmatched).as("sent records of key %s never received", entry.getKey()).isEmpty();
            }
        } finally {
            kpl.destroy();
        }
    }

    /**
     * Received (left) against sent (right). Kinesis does not return the explicit hash key of a plain
     * record, so only a sub-record of an aggregate can, and must, carry it back.
     */
    private static boolean matches(Sent received, Sent sent) {
        String expectedHashKey = received.aggregated() ? sent.explicitHashKey() : null;
        return received.partitionKey().equals(sent.partitionKey())
                && Objects.equals(received.explicitHashKey(), expectedHashKey)
                && Arrays.equals(received.data(), sent.data());
    }
}
