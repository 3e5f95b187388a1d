package io.shardwise.consumer;

import static io.shardwise.consumer.TestShards.shard;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.kinesis.StreamReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Which leases a shard sync creates, and where they start, for a stream with closed history shards:
 * shard 0 split into 2 and 3, shard 1 still open. Several workers sync the same fresh table at once;
 * whatever order their writes land in, no lease may start before the configured initial position.
 */
class ShardSyncTest {
    private static final String MAX = "340282366920938463463374607431768211455";
    private static final String MID = "170141183460469231731687303715884105727";
    private static final AtomicInteger TABLES = new AtomicInteger();
    private LeaseTable table;


    @BeforeEach
    void freshTable() {
        table = new LeaseTable(EmbeddedDynamoDb.client(), "sync-" + TABLES.incrementAndGet(), Duration.ofSeconds(5),
                ConsumerMetrics.NONE);
        table.createIfMissing();
    }

    private static final List<Shard> HISTORY = List.of(
            shard("shardId-000000000000", null, "0", "99", true),
            shard("shardId-000000000001", null, "100", MAX, false),
            shard("shardId-000000000002", "shardId-000000000000", "0", "49", false),
            shard("shardId-000000000003", "shardId-000000000000", "50", "99", false));

    private Map<String, Checkpoint> leases() {
        return table.scan().leases().stream().collect(Collectors.toMap(Lease::leaseKey, Lease::checkpoint));
    }

    private ShardSync sync(InitialPosition position) {
        return new ShardSync(new ListedShards(HISTORY), new StreamReference("s", null), table, position);
    }

    @Test
    void withLatestAWorkerThatSeesAnotherWorkersLeasesStillStartsAtLatest() {
        // Another worker of the same fresh application got as far as one open shard's lease.
        table.createLease("shardId-000000000001", Checkpoint.LATEST, Set.of(), "100", MAX);
        sync(InitialPosition.latest()).sync(table.scan());

        Map<String, Checkpoint> leases = leases();
        assertThat(leases).containsEntry("shardId-000000000002", Checkpoint.LATEST)
                .containsEntry("shardId-000000000003", Checkpoint.LATEST)
                .containsEntry("shardId-000000000001", Checkpoint.LATEST);
        assertThat(leases.values()).as("nothing starts before LATEST").doesNotContain(Checkpoint.TRIM_HORIZON);
    }

    @Test
    void withLatestClosedHistoryShardsGetNoLeaseSoNoRaceCanTurnThemIntoParents() {
        sync(InitialPosition.latest()).sync(table.scan());
        // A second worker whose scan saw the first one's leases.
        sync(InitialPosition.latest()).sync(table.scan());

        assertThat(leases()).containsOnlyKeys("shardId-000000000001", "shardId-000000000002", "shardId-000000000003")
                .allSatisfy((shard, checkpoint) -> assertThat(checkpoint).isEqualTo(Checkpoint.LATEST));
    }

    @Test
    void withAtTimestampEveryShardStartsAtTheTimestampWhoeverCreatesItsLease() {
        InitialPosition at = InitialPosition.atTimestamp(Instant.parse("2026-01-01T00:00:00Z"));
        table.createLease("shardId-000000000000", Checkpoint.AT_TIMESTAMP, Set.of(), "0", "99");
        sync(at).sync(table.scan());

        assertThat(leases()).hasSize(4)
                .allSatisfy((shard, checkpoint) -> assertThat(checkpoint).isEqualTo(Checkpoint.AT_TIMESTAMP));
    }

    @Test
    void aChildWhoseParentWasReadAndWhoseLeaseIsMissingStartsAtTrimHorizon() {
        // The application read shard 0 (its lease is there); the child leases were lost.
        table.createLease("shardId-000000000000", Checkpoint.at("100", 0), Set.of(), "0", "99");
        table.createLease("shardId-000000000001", Checkpoint.at("200", 0), Set.of(), "100", MAX);
        sync(InitialPosition.latest()).sync(table.scan());

        assertThat(leases()).containsEntry("shardId-000000000002", Checkpoint.TRIM_HORIZON)
                .containsEntry("shardId-000000000003", Checkpoint.TRIM_HORIZON);
    }

    @Test
    void withTrimHorizonEveryShardStartsAtTrimHorizon() {
        sync(InitialPosition.trimHorizon()).sync(table.scan());
        assertThat(leases()).hasSize(4)
                .allSatisfy((shard, checkpoint) -> assertThat(checkpoint).isEqualTo(Checkpoint.TRIM_HORIZON));
    }

    @Test
    void theFinishedLeaseOfAShardListShardsNoLongerReturnsIsRemovedOnceItsChildrenHaveLeases() {
        // Shard 0 was trimmed: ListShards lists only 1, 2 and 3; its lease was finished when its
        // reader met ResourceNotFoundException.
        table.createLease("shardId-000000000000", Checkpoint.SHARD_END, Set.of(), "0", "99");
        table.createLease("shardId-000000000001", Checkpoint.at("200", 0), Set.of(), "100", MAX);
        new ShardSync(new ListedShards(HISTORY.subList(1, 4)), new StreamReference("s", null), table,
                InitialPosition.latest()).sync(table.scan());

        assertThat(leases()).containsOnlyKeys("shardId-000000000001", "shardId-000000000002", "shardId-000000000003")
                .containsEntry("shardId-000000000002", Checkpoint.TRIM_HORIZON)
                .containsEntry("shardId-000000000003", Checkpoint.TRIM_HORIZON);
    }

    /** ListShards of a fixed shard list, one page (this tests the sync's decisions, not Kinesis). */
    private record ListedShards(List<Shard> shards) implements KinesisAsyncClient {
        @Override
        public CompletableFuture<ListShardsResponse> listShards(ListShardsRequest request) {
            return CompletableFuture.completedFuture(ListShardsResponse.builder().shards(new ArrayList<>(shards))
                    .build());
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {
        }
    }
}
