package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * After a split, one child's lease is deleted from the table (a hole in the leases' hash key
 * coverage): the periodic shard sync recreates it from ListShards with its parent, and the records
 * written to that child's half of the key space are processed.
 */
@ShardwiseTest
@StreamShards(1)
class HashRangeRepairIT {
    private static final BigInteger HALF = BigInteger.ONE.shiftLeft(127);
    private static final String LOW_KEY = "1";
    private static final String HIGH_KEY = HALF.add(BigInteger.ONE).toString();

    @Test
    void aChildLeaseDeletedAfterASplitIsRecreatedAndItsRecordsProcessed(LocalEngines engines, TestStream stream,
                                                                        LeaseTableName table) {
        KinesisClient kinesis = engines.kinesisClient();
        Received received = new Received();
        try (ShardwiseConsumer consumer = ShardwiseConsumer.builder().applicationName(table.value())
                .streamName(stream.name()).kinesisClient(engines.kinesisAsyncClient())
                .dynamoDbClient(engines.dynamoDbClient()).workerId("w").initialPosition(InitialPosition.trimHorizon())
                .shardSyncInterval(Duration.ofSeconds(2)).recordHandler(r -> received.add("w", r)).build()) {
            consumer.start();
            List<String> before = put(kinesis, stream.name(), "before", 10);
            await().atMost(Duration.ofSeconds(30)).until(() -> received.payloads().containsAll(before));

            String parent = openShards(kinesis, stream.name()).get(0).shardId();
            kinesis.splitShard(r -> r.streamName(stream.name()).shardToSplit(parent)
                    .newStartingHashKey(HALF.toString()));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    kinesis.describeStreamSummary(r -> r.streamName(stream.name())).streamDescriptionSummary()
                            .streamStatus() == StreamStatus.ACTIVE && openShards(kinesis, stream.name()).size() == 2);
            String high = openShards(kinesis, stream.name()).stream()
                    .filter(s -> !s.hashKeyRange().startingHashKey().equals("0")).findFirst().orElseThrow().shardId();
            List<String> split = put(kinesis, stream.name(), "split", 10);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.payloads().containsAll(split));

            engines.dynamoDbClient().deleteItem(b -> b.tableName(table.value())
                    .key(Map.of("leaseKey", AttributeValue.fromS(high))));
            List<String> afterDelete = put(kinesis, stream.name(), "repaired", 10);
            BigInteger lastHigh = lastSequenceNumber;

            // The old worker may still deliver some records before its round sees the lease gone; what
            // shows the repair is the recreated lease itself checkpointing past the last record.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                Map<String, AttributeValue> lease = LeaseItems.shardLeases(engines.dynamoDbClient(), table.value())
                        .get(high);
                return lease != null && LeaseItems.checkpoint(lease).chars().allMatch(Character::isDigit)
                        && new BigInteger(LeaseItems.checkpoint(lease)).compareTo(lastHigh) >= 0;
            });
            assertThat(received.payloads()).containsAll(afterDelete);
            Map<String, AttributeValue> lease = LeaseItems.shardLeases(engines.dynamoDbClient(), table.value())
                    .get(high);
            assertThat(lease.get("parentShardId").ss()).containsExactly(parent);
            assertThat(received.all()).filteredOn(d -> d.payload().startsWith("repaired-high"))
                    .extracting(d -> d.record().shardId()).containsOnly(high);
            assertThat(consumer.uncoveredHashKeyRanges()).isEmpty();
        }
    }

    /** The sequence number of the last record {@link #put} wrote to the high half. */
    private BigInteger lastSequenceNumber;

    /** Writes {@code count} records to each half of the key space; returns their payloads. */
    private List<String> put(KinesisClient kinesis, String stream, String label, int count) {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            for (String half : List.of("low", "high")) {
                String payload = label + "-" + half + "-" + i;
                String hashKey = half.equals("low") ? LOW_KEY : HIGH_KEY;
                String sequenceNumber = kinesis.putRecord(r -> r.streamName(stream).partitionKey("k")
                        .explicitHashKey(hashKey).data(SdkBytes.fromString(payload, StandardCharsets.UTF_8)))
                        .sequenceNumber();
                if (half.equals("high")) {
                    lastSequenceNumber = new BigInteger(sequenceNumber);
                }
                payloads.add(payload);
            }
        }
        return payloads;
    }

    private static List<Shard> openShards(KinesisClient kinesis, String stream) {
        return kinesis.listShards(r -> r.streamName(stream)).shards().stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null).toList();
    }
}
