package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;

/** The lease table's conditional writes against DynamoDB Local, in process. */
class LeaseTableTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static AmazonDynamoDBLocal local;
    private static DynamoDbClient dynamo;
    private LeaseTable table;

    @BeforeAll
    static void startDynamoDbLocal() {
        local = DynamoDBEmbedded.create();
        dynamo = local.dynamoDbClient();
    }

    @AfterAll
    static void stop() {
        local.shutdown();
    }

    @BeforeEach
    void freshTable() {
        table = new LeaseTable(dynamo, "leases-" + TABLES.incrementAndGet(), Duration.ofSeconds(5),
                ConsumerMetrics.NONE);
        table.createIfMissing();
    }

    private Lease newLease(String shard) {
        table.createLease(shard, Checkpoint.TRIM_HORIZON, Set.of(), "0", "100");
        return table.get(shard).orElseThrow();
    }

    @Test
    void multiStreamLeasesStoreBareShardIdsAsTheKclDoesAndReadParentsAsLeaseKeys() {
        String stream = "123456789012:orders:1700000000";
        table.createLease(stream + ":shardId-2", Checkpoint.TRIM_HORIZON, Set.of("shardId-0", "shardId-1"), "0", "9",
                stream, "shardId-2");
        var item = dynamo.getItem(b -> b.tableName(table.name())
                .key(Map.of("leaseKey", AttributeValue.builder().s(stream + ":shardId-2").build()))).item();
        assertThat(item.get("streamName").s()).isEqualTo(stream);
        assertThat(item.get("shardId").s()).isEqualTo("shardId-2");
        assertThat(item.get("parentShardId").ss()).containsExactlyInAnyOrder("shardId-0", "shardId-1");
        Lease lease = table.get(stream + ":shardId-2").orElseThrow();
        assertThat(lease.parentShardIds()).containsExactlyInAnyOrder(stream + ":shardId-0", stream + ":shardId-1");

        Lease taken = table.take(lease, "w1").orElseThrow();
        Lease ended = table.checkpoint(taken.leaseKey(), taken.counter(), "w1", Checkpoint.SHARD_END,
                Set.of("shardId-5"), -1, () -> true).orElseThrow();
        assertThat(ended.childShardIds()).containsExactly(stream + ":shardId-5");
        assertThat(table.scan().leases()).singleElement().satisfies(l -> assertThat(l.leaseKey())
                .isEqualTo(stream + ":shardId-2"));
        table.showOnly(l -> !l.leaseKey().startsWith(stream));
        assertThat(table.scan().leases()).isEmpty();
        assertThat(table.allLeaseKeys()).containsExactly(stream + ":shardId-2");
    }

    @Test
    void createsAnOnDemandTableKeyedByLeaseKeyOnceOnly() {
        var description = dynamo.describeTable(b -> b.tableName(table.name())).table();
        assertThat(description.keySchema()).singleElement().satisfies(k -> assertThat(k.attributeName())
                .isEqualTo("leaseKey"));
        assertThat(description.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        table.createIfMissing();
        assertThat(table.createLease("s-1", Checkpoint.TRIM_HORIZON, Set.of("s-0"), "0", "9")).isTrue();
        assertThat(table.createLease("s-1", Checkpoint.LATEST, Set.of(), "0", "9")).isFalse();
        assertThat(table.get("s-1").orElseThrow().parentShardIds()).containsExactly("s-0");
    }

    @Test
    void ofTwoWorkersTakingTheSameObservedLeaseOnlyOneSucceeds() {
        Lease observed = newLease("s-1");
        assertThat(table.take(observed, "a")).isPresent();
        assertThat(table.take(observed, "b")).isEmpty();
        Lease stored = table.get("s-1").orElseThrow();
        assertThat(stored.owner()).isEqualTo("a");
        assertThat(stored.counter()).isEqualTo(observed.counter() + 1);
        assertThat(stored.ownerSwitches()).isEqualTo(1);
    }

    @Test
    void aWorkerWhoseLeaseWasTakenCannotCheckpoint() {
        Lease takenByA = table.take(newLease("s-1"), "a").orElseThrow();
        HeldLease heldByA = new HeldLease("a", takenByA);
        ShardCheckpointer aCheckpoints = new ShardCheckpointer(heldByA, table, "a", ConsumerMetrics.NONE);
        aCheckpoints.delivered(Checkpoint.at("200", 0));
        aCheckpoints.checkpoint(Checkpoint.at("100", 0));

        // B decides A is dead and takes the lease, conditional on the counter it saw.
        Lease seenByB = table.get("s-1").orElseThrow();
        table.take(seenByB, "b").orElseThrow();

        // A wakes up: its write is conditional on its old counter and is refused by DynamoDB itself.
        assertThatThrownBy(() -> aCheckpoints.checkpoint(Checkpoint.at("200", 0)))
                .isInstanceOf(LeaseLostException.class).hasMessageContaining("s-1").hasMessageContaining("a");
        Lease stored = table.get("s-1").orElseThrow();
        assertThat(stored.owner()).isEqualTo("b");
        assertThat(stored.checkpoint()).isEqualTo(Checkpoint.at("100", 0));
        assertThat(heldByA.isLost()).isTrue();
    }

    @Test
    void checkpointsOnlyMoveForwardAndNeverPastWhatWasDelivered() {
        HeldLease held = new HeldLease("a", table.take(newLease("s-1"), "a").orElseThrow());
        ShardCheckpointer checkpointer = new ShardCheckpointer(held, table, "a", ConsumerMetrics.NONE);
        checkpointer.delivered(Checkpoint.at("500", 3));
        checkpointer.checkpoint(Checkpoint.at("500", 1));
        assertThatThrownBy(() -> checkpointer.checkpoint(Checkpoint.at("400", 0)))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("behind");
        assertThatThrownBy(() -> checkpointer.checkpoint(Checkpoint.at("500", 4)))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("beyond");
        assertThatThrownBy(() -> checkpointer.checkpoint(Checkpoint.SHARD_END))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("SHARD_END");
        checkpointer.checkpoint();
        Lease stored = table.get("s-1").orElseThrow();
        assertThat(stored.checkpoint()).isEqualTo(Checkpoint.at("500", 3));
        assertThat(stored.ownerSwitches()).isZero();

        checkpointer.shardEnded(Set.of("s-2", "s-3"));
        checkpointer.checkpoint(Checkpoint.SHARD_END);
        stored = table.get("s-1").orElseThrow();
        assertThat(stored.isFinished()).isTrue();
        assertThat(stored.childShardIds()).containsExactlyInAnyOrder("s-2", "s-3");
    }

    @Test
    void aTwoPhaseCheckpointIsStoredPendingWithItsStateThenCommitted() {
        HeldLease held = new HeldLease("a", table.take(newLease("s-1"), "a").orElseThrow());
        ShardCheckpointer checkpointer = new ShardCheckpointer(held, table, "a", ConsumerMetrics.NONE);
        checkpointer.delivered(Checkpoint.at("77", 2));
        PreparedCheckpoint prepared = checkpointer.prepareCheckpoint(Checkpoint.at("77", 2), new byte[] {1, 2, 3});
        Lease pending = table.get("s-1").orElseThrow();
        assertThat(pending.pendingCheckpoint()).isEqualTo(Checkpoint.at("77", 2));
        assertThat(pending.pendingState()).containsExactly(1, 2, 3);
        assertThat(pending.checkpoint()).isEqualTo(Checkpoint.TRIM_HORIZON);

        prepared.commit();
        Lease committed = table.get("s-1").orElseThrow();
        assertThat(committed.checkpoint()).isEqualTo(Checkpoint.at("77", 2));
        assertThat(committed.pendingCheckpoint()).isNull();
        assertThat(committed.pendingState()).isNull();
    }

    @Test
    void aHandoffRequestKeepsTheOwnersCounterAndTheOwnerTransfersTheLease() {
        Lease taken = table.take(newLease("s-1"), "a").orElseThrow();
        assertThat(table.requestHandoff(taken, "b")).isTrue();
        Lease asked = table.get("s-1").orElseThrow();
        assertThat(asked.handoffTo()).isEqualTo("b");
        assertThat(asked.counter()).isEqualTo(taken.counter());

        Lease transferred = table.transfer("s-1", asked.counter(), "a", "b").orElseThrow();
        assertThat(transferred.owner()).isEqualTo("b");
        assertThat(transferred.handoffTo()).isNull();
        assertThat(table.release("s-1", asked.counter(), "a")).as("A's counter is stale now").isEmpty();
        assertThat(table.release("s-1", transferred.counter(), "b").orElseThrow().owner()).isNull();
    }

    @Test
    void heartbeatsBumpOneLivenessItemInTheWorkerTableAndDetectASecondWriter() {
        WorkerTable workers = workers();
        assertThat(workers.heartbeat("w1", 0, Map.of(), Duration.ofSeconds(5))).contains(1L);
        assertThat(workers.heartbeat("w1", 1, Map.of(), Duration.ofSeconds(5))).contains(2L);
        assertThat(workers.heartbeat("w1", 1, Map.of(), Duration.ofSeconds(5)))
                .as("another process with the same id wrote 2").isEmpty();
        assertThat(workers.counter("w1")).isEqualTo(2);
        assertThat(workers.scan().counters()).containsEntry("w1", 2L);
        assertThat(dynamo.scan(b -> b.tableName(table.name())).items()).as("the lease table holds only leases")
                .isEmpty();
        workers.delete("w1");
        assertThat(workers.scan().counters()).isEmpty();
    }

    @Test
    void aHeartbeatPublishesTheRecentThroughputOfEachHeldLeaseForOtherBalancers() {
        WorkerTable workers = workers();
        table.createLease("s-1", Checkpoint.TRIM_HORIZON, Set.of(), "0", "1");
        Lease held = table.take(table.get("s-1").orElseThrow(), "w1").orElseThrow();
        assertThat(workers.heartbeat("w1", 0, Map.of("s-1", 123_456L), Duration.ofSeconds(5))).contains(1L);
        TableSnapshot snapshot = table.scan().withWorkers(workers.scan());
        assertThat(snapshot.workers().get("w1").hotLeases()).isEqualTo(Map.of("s-1", 123_456L));
        assertThat(snapshot.throughput(held)).isEqualTo(123_456L);
        // Reported by a worker that no longer owns the lease: not counted for it.
        table.createLease("s-2", Checkpoint.TRIM_HORIZON, Set.of(), "2", "3");
        assertThat(snapshot.throughput(table.get("s-2").orElseThrow())).isZero();
    }

    @Test
    void aHeartbeatStaysSmallWhateverTheLeaseCount_theHottestLeasesAndTheMeanOfTheRest() {
        WorkerTable workers = workers();
        Map<String, Long> rates = new java.util.HashMap<>();
        for (int i = 0; i < 200; i++) {
            rates.put("shardId-" + i, i < 8 ? 1_000_000L + i : 1_000L);
        }
        workers.heartbeat("w1", 0, rates, Duration.ofSeconds(5));
        WorkerStore.WorkerItem item = workers.scan().items().get("w1");
        assertThat(item.leaseCount()).isEqualTo(200);
        assertThat(item.hotLeases()).hasSize(WorkerTable.HOT_LEASES).containsEntry("shardId-7", 1_000_007L);
        assertThat(item.throughputOf("shardId-0")).isEqualTo(1_000_000L);
        assertThat(item.throughputOf("shardId-150")).as("the mean of the leases not published").isEqualTo(1_000L);
        var stored = dynamo.getItem(b -> b.tableName(workers.name()).key(Map.of("workerId", s("w1")))).item();
        assertThat(stored.get("heartbeatAt").n()).isNotEmpty();
        assertThat(stored.toString().length()).as("item size independent of the 200 leases").isLessThan(1024);
    }

    @Test
    void handoffDoorbellsAndLeaseChangesAreReadFromTheWorkerTable() {
        WorkerTable workers = workers();
        assertThat(workers.requestHandoff("nobody", "s-1")).as("no item, no doorbell").isFalse();
        workers.heartbeat("w1", 0, Map.of(), Duration.ofSeconds(5));
        assertThat(workers.requestHandoff("w1", "s-1")).isTrue();
        assertThat(workers.requestHandoff("w1", "s-2")).isTrue();
        // A heartbeat keeps the doorbell.
        workers.heartbeat("w1", 1, Map.of("s-1", 5L), Duration.ofSeconds(5));
        assertThat(workers.scan().items().get("w1").handoffRequests()).containsExactlyInAnyOrder("s-1", "s-2");
        workers.clearHandoffRequests("w1", Set.of("s-1"));
        assertThat(workers.scan().items().get("w1").handoffRequests()).containsExactly("s-2");

        assertThat(workers.scan().leaseChanges()).isZero();
        workers.announceLeaseChange();
        workers.announceLeaseChange();
        WorkerStore.Workers read = workers.scan();
        assertThat(read.leaseChanges()).isEqualTo(2);
        assertThat(read.items()).as("the change counter is no worker").containsOnlyKeys("w1");
    }

    @Test
    void theLivenessItemOfAnEarlierVersionInTheLeaseTableStillCountsUntilDeleted() {
        // A worker of an earlier Shardwise version, during a rolling upgrade.
        dynamo.putItem(b -> b.tableName(table.name()).item(Map.of("leaseKey", s("__worker__#old"),
                "leaseCounter", n(7), "leaseOwner", s("old"))));
        WorkerTable workers = workers();
        workers.heartbeat("new", 0, Map.of(), Duration.ofSeconds(5));
        TableSnapshot snapshot = table.scan().withWorkers(workers.scan());
        assertThat(snapshot.workerCounters()).containsEntry("old", 7L).containsEntry("new", 1L);
        assertThat(snapshot.legacyWorkers()).containsExactly("old");
        assertThat(snapshot.leases()).isEmpty();
        table.deleteLegacyWorker("old");
        assertThat(table.scan().workerCounters()).isEmpty();
    }

    private WorkerTable workers() {
        WorkerTable workers = new WorkerTable(dynamo, ShardwiseConsumer.workerTableNameFor(table.name()), Duration.ofSeconds(5),
                ConsumerMetrics.NONE);
        workers.createIfMissing();
        return workers;
    }

    @Test
    void onlyFinishedLeasesAreDeletedAsParents() {
        Lease taken = table.take(newLease("s-1"), "a").orElseThrow();
        assertThat(table.deleteFinished("s-1")).isFalse();
        table.checkpoint("s-1", taken.counter(), "a", Checkpoint.SHARD_END, Set.of("s-2"), -1, () -> true);
        assertThat(table.deleteFinished("s-1")).isTrue();
        assertThat(table.get("s-1")).isEmpty();
    }

    @Test
    void readsAnItemWrittenInTheKclSchemaWithAttributesItDoesNotKnow() {
        dynamo.putItem(b -> b.tableName(table.name()).item(Map.of(
                "leaseKey", s("shardId-000000000007"),
                "leaseOwner", s("kcl-worker-1"),
                "leaseCounter", n(42),
                "checkpoint", s("49590338271490256608559692538361571095921575989136588898"),
                "checkpointSubSequenceNumber", n(5),
                "ownerSwitchesSinceCheckpoint", n(1),
                "parentShardId", AttributeValue.builder().ss("shardId-000000000003").build(),
                "startingHashKey", s("0"),
                "endingHashKey", s("340282366920938463463374607431768211455"),
                "throughputKBps", n(12))));
        Lease lease = table.scan().leases().get(0);
        assertThat(lease.owner()).isEqualTo("kcl-worker-1");
        assertThat(lease.counter()).isEqualTo(42);
        assertThat(lease.checkpoint()).isEqualTo(
                Checkpoint.at("49590338271490256608559692538361571095921575989136588898", 5));
        assertThat(lease.parentShardIds()).containsExactly("shardId-000000000003");
        assertThat(table.take(lease, "shardwise-1").orElseThrow().counter()).isEqualTo(43);
    }

    @Test
    void skipsTheOtherEntitiesTheKcl3KeepsInTheLeaseTable() {
        dynamo.putItem(b -> b.tableName(table.name()).item(Map.of("leaseKey", s("kcl-worker"),
                "entityType", s("WORKER_METRIC_STATS"), "lut", n(1))));
        dynamo.putItem(b -> b.tableName(table.name()).item(Map.of("leaseKey", s("Migration3.0"),
                "entityType", s("CLIENT_VERSION_MIGRATION"), "cv", s("CLIENT_VERSION_3X"))));
        newLease("shardId-000000000000");
        assertThat(table.scan().leases()).extracting(Lease::leaseKey).containsExactly("shardId-000000000000");
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }
}
