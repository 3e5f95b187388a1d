package io.shardwise.consumer;

import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.kinesis.ListShardsPager;
import io.shardwise.kinesis.StreamReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Creates a lease for every shard of the stream that has none. A closed shard whose descendants
 * already have leases was finished (its lease removed) and gets none. Parents are created before
 * children (shard ids grow with creation), so a crash half-way never leaves a child without its
 * parent.
 *
 * <p>Where a new lease starts never depends on which worker creates it, nor on how far another
 * worker's sync got (several workers sync a fresh table at once, and a sync may fail half-way):
 * <ul>
 * <li>TRIM_HORIZON and AT_TIMESTAMP: every lease starts at the initial position. A child read
 * AT_TIMESTAMP after its parent loses nothing: its records are all newer than the parent's.</li>
 * <li>LATEST: a shard whose parent has a lease starts at TRIM_HORIZON: the application lived
 * through that reshard, and the child's records since are unread. Any other open shard starts at
 * LATEST, and a closed shard without a leased parent gets no lease at all: it is history from
 * before the application started, and a lease for it would make its children look lived through.</li>
 * </ul>
 *
 * <p>Hash key range repair. The open shards that ListShards returns should cover 0 .. 2^128-1; the
 * leases must cover the same space, or records of the uncovered keys are never read. Every shard
 * that ListShards returns and that neither has a lease nor a descendant with one gets a lease by
 * the rules above, with the parents ListShards names, so the ordinary parent-before-child rule
 * applies to it (a child lease lost after a reshard the application lived through starts at
 * TRIM_HORIZON: reading again is at-least-once, skipping would lose). After the repair the open
 * shards per ListShards are checked for holes. A hole there is in the stream's own shard list (for
 * example read in the middle of a reshard): no lease can fill it, so it is logged, counted in the
 * {@code shardwise.consumer.hashkey.holes} gauge, returned by {@link #streamHoles()} (and
 * {@code ShardwiseConsumer.uncoveredHashKeyRanges()}), and checked again at the next sync.
 */
final class ShardSync implements LeaseSync {
    private static final Logger log = LoggerFactory.getLogger(ShardSync.class);

    private static final CallRetry CONTROL_CALLS = new CallRetry("list-shards", 4);

    private final KinesisAsyncClient kinesis;
    private final StreamScope scope;
    private final ListShardsPager pager;
    private final LeaseStore table;
    private final ConsumerMetrics metrics;
    private volatile List<HashKeyRange> streamHoles = List.of();

    ShardSync(KinesisAsyncClient kinesis, StreamReference stream, LeaseStore table, InitialPosition initialPosition) {
        this(kinesis, StreamScope.single(stream, initialPosition, null), table, ConsumerMetrics.NONE);
    }

    /** The sync of one stream: every lease key and lease it reads or writes is that stream's ({@code scope}). */
    ShardSync(KinesisAsyncClient kinesis, StreamScope scope, LeaseStore table, ConsumerMetrics metrics) {
        this.metrics = metrics;
        this.kinesis = kinesis;
        this.scope = scope;
        this.pager = scope.ref() == null ? null
                : new ListShardsPager(scope.ref(), b -> b.overrideConfiguration(KinesisCalls::timeout));
        this.table = table;
    }

    @Override
    public StreamScope scopeOf(String leaseKey) {
        return scope;
    }

    /** Lists every shard (paginated); each page is one call, retried on its own. */
    List<Shard> listShards() {
        return pager.listAll(request -> CONTROL_CALLS.call(() -> KinesisCalls.await(kinesis.listShards(request))));
    }

    /** Creates missing leases of this stream; returns how many it created. */
    @Override
    public int sync(TableSnapshot snapshot) {
        List<Shard> shards = listShards();
        List<Lease> mine = snapshot.leases().stream().filter(l -> scope.owns(l.leaseKey())).toList();
        Set<String> leased = new LinkedHashSet<>();
        mine.forEach(l -> leased.add(scope.shardId(l.leaseKey())));
        Map<String, List<String>> children = new HashMap<>();
        for (Shard shard : shards) {
            for (String parent : parents(shard)) {
                children.computeIfAbsent(parent, p -> new ArrayList<>()).add(shard.shardId());
            }
        }
        Map<String, Shard> ordered = new TreeMap<>();
        shards.forEach(s -> ordered.put(s.shardId(), s));
        int created = 0;
        for (Shard shard : ordered.values()) {
            if (covered(shard.shardId(), leased, children, new LinkedHashSet<>())) {
                continue;
            }
            boolean parentLeased = parents(shard).stream().anyMatch(leased::contains);
            Checkpoint start = startOf(shard, parentLeased);
            if (start == null) {
                continue;
            }
            if (scope.createLease(table, shard.shardId(), start, parents(shard), shard.hashKeyRange().startingHashKey(),
                    shard.hashKeyRange().endingHashKey())) {
                created++;
                leased.add(shard.shardId());
                log.info("Created lease for {} of {} at {}{}", shard.shardId(), scope.ref().label(), start,
                        parentLeased ? " (its parent has a lease)" : "");
            }
        }
        checkCoverage(shards, leased);
        removeVanished(mine, shards, leased);
        return created;
    }

    /**
     * Deletes the finished leases of shards ListShards no longer returns (trimmed after the retention
     * period) once every shard that names them as a parent has a lease: nothing can read them again,
     * and their children no longer need them. Unfinished leases of such shards are finished by the
     * worker that reads them (ResourceNotFoundException ends a shard), then removed here.
     */
    private void removeVanished(List<Lease> leases, List<Shard> shards, Set<String> leased) {
        Set<String> listed = new java.util.HashSet<>();
        shards.forEach(s -> listed.add(s.shardId()));
        for (Lease lease : leases) {
            String shardId = scope.shardId(lease.leaseKey());
            if (!lease.isFinished() || listed.contains(shardId)) {
                continue;
            }
            boolean childrenLeased = shards.stream().filter(s -> parents(s).contains(shardId))
                    .allMatch(s -> leased.contains(s.shardId()));
            if (childrenLeased && table.deleteFinished(lease.leaseKey())) {
                log.info("Removed the finished lease of {}: {} no longer lists the shard", lease.leaseKey(),
                        scope.ref().label());
            }
        }
    }

    /** The hash key ranges the open shards of the stream left uncovered at the last sync. */
    @Override
    public List<HashKeyRange> streamHoles() {
        return streamHoles;
    }

    /** Where a new lease of {@code shard} starts (see the class comment), or null when it gets none. */
    private Checkpoint startOf(Shard shard, boolean parentLeased) {
        Checkpoint initial = scope.initialPosition().checkpoint();
        if (!initial.equals(Checkpoint.LATEST)) {
            return initial;
        }
        if (parentLeased) {
            return Checkpoint.TRIM_HORIZON;
        }
        return isOpen(shard) ? Checkpoint.LATEST : null;
    }

    /**
     * After the repair: holes of the stream's open shards are reported (no lease can fill them);
     * an open shard still without a lease (its creation failed) is logged, and the next sync retries.
     */
    private void checkCoverage(List<Shard> shards, Set<String> leased) {
        List<Shard> open = shards.stream().filter(ShardSync::isOpen).toList();
        List<HashKeyRange> holes = HashRangeCoverage.holes(open.stream().map(ShardSync::range).toList());
        streamHoles = List.copyOf(holes);
        metrics.hashKeyRangeHoles(holes.size());
        if (!holes.isEmpty()) {
            log.warn("The open shards of {} per ListShards leave hash key ranges uncovered: {}; no lease can"
                    + " cover them, the next shard sync checks again", scope.ref().label(), holes);
        }
        List<String> unleased = open.stream().map(Shard::shardId).filter(id -> !leased.contains(id)).toList();
        if (!unleased.isEmpty()) {
            log.warn("Open shards {} of {} still have no lease; the next shard sync retries", unleased,
                    scope.ref().label());
        }
    }

    private static boolean isOpen(Shard shard) {
        return shard.sequenceNumberRange() == null || shard.sequenceNumberRange().endingSequenceNumber() == null;
    }

    private static HashKeyRange range(Shard shard) {
        return HashKeyRange.of(shard.hashKeyRange().startingHashKey(), shard.hashKeyRange().endingHashKey());
    }

    private static boolean covered(String shardId, Set<String> leased, Map<String, List<String>> children,
                                   Set<String> visiting) {
        if (leased.contains(shardId)) {
            return true;
        }
        if (!visiting.add(shardId)) {
            return false;
        }
        for (String child : children.getOrDefault(shardId, List.of())) {
            if (covered(child, leased, children, visiting)) {
                return true;
            }
        }
        return false;
    }

    static Set<String> parents(Shard shard) {
        Set<String> parents = new LinkedHashSet<>();
        if (shard.parentShardId() != null) {
            parents.add(shard.parentShardId());
        }
        if (shard.adjacentParentShardId() != null) {
            parents.add(shard.adjacentParentShardId());
        }
        return parents;
    }
}
