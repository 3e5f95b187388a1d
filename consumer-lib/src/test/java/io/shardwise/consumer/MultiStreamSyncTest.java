package io.shardwise.consumer;

import static io.shardwise.consumer.TestShards.shard;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Two streams in one lease table: each gets its own leases (KCL multi-stream keys, its own initial
 * position, parents as lease keys of the same stream); a removed stream's leases leave the rounds'
 * view, and are kept or deleted per the deletion strategy.
 */
class MultiStreamSyncTest {
    private static final String MAX = "340282366920938463463374607431768211455";
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final StreamIdentifier ORDERS = new StreamIdentifier("123456789012", "orders", 1700000000L);
    private static final StreamIdentifier PAYMENTS = new StreamIdentifier("123456789012", "payments", 1700000100L);
    /** Shard 0 closed and split into 1 and 2. */
    private static final List<Shard> SPLIT = List.of(
            shard("shardId-000000000000", null, "0", MAX, true),
            shard("shardId-000000000001", "shardId-000000000000", "0", "99", false),
            shard("shardId-000000000002", "shardId-000000000000", "100", MAX, false));
    private LeaseTable table;

    @BeforeEach
    void freshTable() {
        table = new LeaseTable(EmbeddedDynamoDb.client(), "multi-" + TABLES.incrementAndGet(), Duration.ofSeconds(5),
                ConsumerMetrics.NONE);
        table.createIfMissing();
    }

    private MultiStreamSync streams(StreamTracker tracker) {
        return new MultiStreamSync(new ListedShards(Map.of("orders", SPLIT, "payments", SPLIT)), table, tracker,
                Duration.ofSeconds(60), config -> (shardId, start, stop) -> null, "w1", ConsumerMetrics.NONE);
    }

    private static String key(StreamIdentifier stream, String shardId) {
        return new MultiStreamLeaseKey(stream, shardId).leaseKey();
    }

    @Test
    void eachStreamGetsItsOwnLeasesFromItsOwnInitialPosition() {
        MultiStreamSync sync = streams(() -> List.of(new StreamConfig(ORDERS, InitialPosition.trimHorizon()),
                new StreamConfig(PAYMENTS, InitialPosition.latest())));
        sync.poll();
        sync.sync(table.scan());

        Map<String, Lease> leases = table.scan().leases().stream().collect(Collectors.toMap(Lease::leaseKey, l -> l));
        assertThat(leases).containsOnlyKeys(key(ORDERS, "shardId-000000000000"), key(ORDERS, "shardId-000000000001"),
                key(ORDERS, "shardId-000000000002"), key(PAYMENTS, "shardId-000000000001"),
                key(PAYMENTS, "shardId-000000000002"));
        assertThat(leases.get(key(ORDERS, "shardId-000000000000")).checkpoint()).isEqualTo(Checkpoint.TRIM_HORIZON);
        assertThat(leases.get(key(ORDERS, "shardId-000000000001")).parentShardIds())
                .containsExactly(key(ORDERS, "shardId-000000000000"));
        assertThat(leases.get(key(PAYMENTS, "shardId-000000000001")).checkpoint()).isEqualTo(Checkpoint.LATEST);
        assertThat(sync.scopeOf(key(PAYMENTS, "shardId-000000000001")).identifier()).isEqualTo(PAYMENTS);
        assertThat(sync.scopeOf(key(PAYMENTS, "shardId-000000000001")).shardId(key(PAYMENTS, "shardId-000000000001")))
                .isEqualTo("shardId-000000000001");
    }

    @Test
    void aRemovedStreamLeavesTheViewAndItsLeasesAreKeptByDefault() {
        AtomicReference<List<StreamConfig>> configs = new AtomicReference<>(List.of(
                new StreamConfig(ORDERS, InitialPosition.latest()), new StreamConfig(PAYMENTS, InitialPosition.latest())));
        MultiStreamSync sync = streams(configs::get);
        sync.poll();
        sync.sync(table.scan());
        Lease mine = table.take(table.get(key(PAYMENTS, "shardId-000000000002")).orElseThrow(), "w1").orElseThrow();

        configs.set(List.of(new StreamConfig(ORDERS, InitialPosition.latest())));
        sync.poll();

        // Only this worker's own lease of the removed stream stays visible, until it is released.
        assertThat(table.scan().leases()).extracting(Lease::leaseKey).containsExactlyInAnyOrder(
                key(ORDERS, "shardId-000000000001"), key(ORDERS, "shardId-000000000002"), mine.leaseKey());
        assertThat(sync.scopeOf(mine.leaseKey()).active()).isFalse();
        table.release(mine.leaseKey(), mine.counter(), "w1").orElseThrow();
        assertThat(table.scan().leases()).extracting(Lease::leaseKey).allMatch(k -> k.startsWith(ORDERS.serialize()));
        assertThat(table.allLeaseKeys()).hasSize(4);
    }

    @Test
    void withDeferredDeletionTheLeasesOfAFormerStreamAreDeletedAfterTheWait() {
        AtomicReference<List<StreamConfig>> configs = new AtomicReference<>(List.of(
                new StreamConfig(ORDERS, InitialPosition.latest()), new StreamConfig(PAYMENTS, InitialPosition.latest())));
        MultiStreamSync sync = streams(new StreamTracker() {
            @Override
            public List<StreamConfig> streamConfigList() {
                return configs.get();
            }

            @Override
            public FormerStreamsLeasesDeletionStrategy formerStreamsLeasesDeletionStrategy() {
                return FormerStreamsLeasesDeletionStrategy.autoDetectionAndDeferredDeletion(Duration.ZERO);
            }
        });
        sync.poll();
        sync.sync(table.scan());
        table.createLease("shardId-000000000009", Checkpoint.LATEST, Set.of(), "0", MAX);
        configs.set(List.of(new StreamConfig(ORDERS, InitialPosition.latest())));
        sync.poll();

        // The single-stream key is no stream's lease: left alone.
        assertThat(table.allLeaseKeys()).containsExactlyInAnyOrder(key(ORDERS, "shardId-000000000001"),
                key(ORDERS, "shardId-000000000002"), "shardId-000000000009");
    }

    /** ListShards of a fixed shard list per stream name, one page. */
    private record ListedShards(Map<String, List<Shard>> byStream) implements KinesisAsyncClient {
        @Override
        public CompletableFuture<ListShardsResponse> listShards(ListShardsRequest request) {
            return CompletableFuture.completedFuture(ListShardsResponse.builder()
                    .shards(new ArrayList<>(byStream.get(request.streamName()))).build());
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
