package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.faults.FaultKind;
import io.shardwise.testkit.faults.FaultProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.it.support.Reshard;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A parent shard trimmed after the retention period before the application read it (a long
 * outage past a split): through the fault proxy it answers ResourceNotFoundException and is no
 * longer listed. Its unfinished lease must not block its children: the shard is finished as gone,
 * the children's records are delivered, and the parent's lease is cleaned up.
 */
@ShardwiseTest
@StreamShards(1)
class ShardGoneIT {
    private static final String PARENT = "shardId-000000000000";

    @Test
    void aTrimmedParentIsFinishedAndItsChildrenStart(LocalEngines engines, TestStream stream, LeaseTableName table)
            throws Exception {
        KinesisClient kinesis = engines.kinesisClient();
        Writes.numbered(kinesis, stream.name(), 0, 20, 4);
        Reshard.splitInHalf(kinesis, stream.name(), Reshard.openShards(kinesis, stream.name()).get(0));
        List<String> inChildren = Writes.numbered(kinesis, stream.name(), 100, 140, 4);

        // An earlier run of the application: its leases exist, the parent's never got past its start.
        Received earlier = new Received();
        try (ShardwiseConsumer outage = consumer(engines, stream, table, "earlier", engines.kinesisAsyncClient(),
                earlier, true)) {
            outage.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> LeaseItems.shardLeases(engines.dynamoDbClient(),
                    table.value()).size() == 3);
            Thread.sleep(1_000);
        }
        assertThat(LeaseItems.checkpoint(LeaseItems.shardLeases(engines.dynamoDbClient(), table.value())
                .get(PARENT))).isEqualTo("TRIM_HORIZON");
        assertThat(earlier.all()).isEmpty();

        // The retention period passes: the parent is gone.
        Received received = new Received();
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).seed(3).start()) {
            proxy.updateRules(r -> r.goneShards(PARENT));
            try (ShardwiseConsumer worker = consumer(engines, stream, table, "w",
                    engines.kinesisAsyncClient(proxy.endpoint()), received, false)) {
                worker.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> received.payloads().containsAll(inChildren));
                await().atMost(Duration.ofSeconds(30)).until(() -> !LeaseItems.shardLeases(engines.dynamoDbClient(),
                        table.value()).containsKey(PARENT));
            }
            assertThat(proxy.counts().injected(FaultKind.SHARD_GONE, "GetShardIterator")).isPositive();
        }
        assertThat(received.payloads()).containsExactlyInAnyOrderElementsOf(inChildren);
    }

    /** {@code skipParent}: the earlier run's processor fails on the parent's records, so it never finishes it. */
    private static ShardwiseConsumer consumer(LocalEngines engines, TestStream stream, LeaseTableName table, String id,
                                              software.amazon.awssdk.services.kinesis.KinesisAsyncClient kinesis,
                                              Received received, boolean skipParent) {
        return LocalWorkers.worker(engines, stream, table, id).kinesisClient(kinesis)
                .recordHandler(r -> {
                    if (skipParent && r.shardId().equals(PARENT)) {
                        throw new IllegalStateException("the earlier run never gets through the parent");
                    }
                    received.add(id, r);
                }).build();
    }
}
