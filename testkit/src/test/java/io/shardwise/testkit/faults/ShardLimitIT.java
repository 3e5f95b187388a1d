package io.shardwise.testkit.faults;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The shard-limit mode on a 2-shard stream: a shard written beyond 1 MiB/s or 1,000 records/s
 * throttles, the other shard does not. The proxy's clock is frozen so each shard's budget is
 * exactly one second's worth, whatever the speed of the machine, and stepped to show the refill.
 */
@ShardwiseTest
@StreamShards(2)
class ShardLimitIT {

    private static final int MIB = 1024 * 1024;
    private static final int DATA_BYTES = 40 * 1024;
    private static final String THROTTLED = "ProvisionedThroughputExceededException";

    private final AtomicLong clock = new AtomicLong();

    @Test
    void aHotShardThrottlesOverOneMibPerSecondAndAColdOneDoesNot(TestStream stream, LocalEngines engines) {
        List<Shard> shards = shards(engines, stream);
        List<String> hotKeys = keysOn(shards.get(0), "hot", 40);
        List<String> coldKeys = keysOn(shards.get(1), "cold", 10);
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < hotKeys.size(); i++) {
            entries.add(entry(hotKeys.get(i), DATA_BYTES));
            if (i % 4 == 0) {
                entries.add(entry(coldKeys.get(i / 4), DATA_BYTES));
            }
        }
        // One second's budget of the hot shard: entries fit, in order, until the next would overflow it.
        List<Boolean> expectedFailed = new ArrayList<>();
        long hotBudget = MIB;
        for (PutRecordsRequestEntry e : entries) {
            long size = DATA_BYTES + e.partitionKey().getBytes(StandardCharsets.UTF_8).length;
            boolean hot = e.partitionKey().startsWith("hot");
            boolean fits = !hot || size <= hotBudget;
            if (hot && fits) {
                hotBudget -= size;
            }
            expectedFailed.add(!fits);
        }
        long expectedFailures = expectedFailed.stream().filter(f -> f).count();

        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).shardLimits(true)
                .nanoClock(clock::get).start();
             KinesisClient client = FaultProxyIT.syncClient(engines, proxy.endpoint())) {
            PutRecordsResponse put = client.putRecords(b -> b.streamName(stream.name()).records(entries));

            assertThat(put.records()).extracting(r -> r.errorCode() != null).containsExactlyElementsOf(expectedFailed);
            assertThat(put.failedRecordCount()).isEqualTo((int) expectedFailures).isEqualTo(15);
            assertThat(put.records()).filteredOn(r -> r.errorCode() != null).allSatisfy(r -> {
                assertThat(r.errorCode()).isEqualTo(THROTTLED);
                assertThat(r.errorMessage()).contains(shards.get(0).shardId());
            });
            assertThat(put.records()).filteredOn(r -> r.errorCode() == null)
                    .extracting(PutRecordsResultEntry::shardId).contains(shards.get(1).shardId());
            assertThat(proxy.counts().injected(FaultKind.SHARD_LIMIT_ENTRY, "PutRecords")).isEqualTo(expectedFailures);
            assertThat(countRecords(engines.kinesisClient(), stream, shards.get(0))).isEqualTo(40 - expectedFailures);
            assertThat(countRecords(engines.kinesisClient(), stream, shards.get(1))).isEqualTo(10);

            // A second later the hot shard has a full budget again.
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
            PutRecordsResponse later = client.putRecords(b -> b.streamName(stream.name())
                    .records(hotKeys.subList(0, 5).stream().map(k -> entry(k, DATA_BYTES)).toList()));
            assertThat(later.failedRecordCount()).isZero();
        }
    }

    @Test
    void aPutRecordOverTheShardLimitIsThrottledAsAWholeCall(TestStream stream, LocalEngines engines) {
        List<Shard> shards = shards(engines, stream);
        String hot = keysOn(shards.get(0), "hot", 1).get(0);
        String cold = keysOn(shards.get(1), "cold", 1).get(0);
        SdkBytes nearlyOneMib = SdkBytes.fromByteArray(new byte[1_000_000]);
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).shardLimits(true)
                .nanoClock(clock::get).start();
             KinesisClient client = FaultProxyIT.syncClient(engines, proxy.endpoint())) {
            assertThat(client.putRecord(b -> b.streamName(stream.name()).partitionKey(hot).data(nearlyOneMib))
                    .shardId()).isEqualTo(shards.get(0).shardId());
            assertThatThrownBy(() -> client.putRecord(b -> b.streamName(stream.name()).partitionKey(hot)
                    .data(nearlyOneMib)))
                    .isInstanceOf(ProvisionedThroughputExceededException.class)
                    .hasMessageContaining(shards.get(0).shardId());
            assertThat(client.putRecord(b -> b.streamName(stream.name()).partitionKey(cold).data(nearlyOneMib))
                    .shardId()).isEqualTo(shards.get(1).shardId());
            assertThat(proxy.counts().injected(FaultKind.SHARD_LIMIT_CALL, "PutRecord")).isEqualTo(1);
        }
    }

    @Test
    void aHotShardThrottlesOverAThousandRecordsPerSecondByExplicitHashKey(TestStream stream, LocalEngines engines) {
        List<Shard> shards = shards(engines, stream);
        // Any partition key: the explicit hash key alone decides the shard.
        String hotHashKey = shards.get(0).hashKeyRange().startingHashKey();
        String coldHashKey = shards.get(1).hashKeyRange().startingHashKey();
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).shardLimits(true)
                .nanoClock(clock::get).start();
             KinesisClient client = FaultProxyIT.syncClient(engines, proxy.endpoint())) {
            for (int call = 0; call < 2; call++) {
                assertThat(client.putRecords(b -> b.streamName(stream.name()).records(tiny(500, hotHashKey)))
                        .failedRecordCount()).isZero();
            }
            PutRecordsResponse mixed = client.putRecords(b -> b.streamName(stream.name())
                    .records(concat(tiny(3, hotHashKey), tiny(3, coldHashKey))));

            assertThat(mixed.records()).extracting(PutRecordsResultEntry::errorCode)
                    .containsExactly(THROTTLED, THROTTLED, THROTTLED, null, null, null);
            assertThat(proxy.counts().injected(FaultKind.SHARD_LIMIT_ENTRY)).isEqualTo(3);
        }
    }

    private static List<PutRecordsRequestEntry> tiny(int count, String explicitHashKey) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + i).explicitHashKey(explicitHashKey)
                    .data(SdkBytes.fromUtf8String("r")).build());
        }
        return entries;
    }

    private static List<PutRecordsRequestEntry> concat(List<PutRecordsRequestEntry> a, List<PutRecordsRequestEntry> b) {
        List<PutRecordsRequestEntry> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static PutRecordsRequestEntry entry(String partitionKey, int dataBytes) {
        return PutRecordsRequestEntry.builder().partitionKey(partitionKey)
                .data(SdkBytes.fromByteArray(new byte[dataBytes])).build();
    }

    private static List<Shard> shards(LocalEngines engines, TestStream stream) {
        return engines.kinesisClient().listShards(b -> b.streamName(stream.name())).shards();
    }

    /** Partition keys "prefix-N" whose MD5 hash key falls in the shard's range. */
    private static List<String> keysOn(Shard shard, String prefix, int count) {
        BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            BigInteger hash = ShardLimitShardMap.hashKey(prefix + "-" + i, null);
            if (start.compareTo(hash) <= 0 && hash.compareTo(end) <= 0) {
                keys.add(prefix + "-" + i);
            }
        }
        return keys;
    }

    private static int countRecords(KinesisClient client, TestStream stream, Shard shard) {
        String iterator = client.getShardIterator(b -> b.streamName(stream.name()).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return client.getRecords(b -> b.shardIterator(iterator)).records().size();
    }
}
