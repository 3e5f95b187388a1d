package io.shardwise.consumer;

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
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Creates a lease for every shard of the stream that has none. A closed shard whose descendants
 * already have leases was finished (its lease removed) and gets none. Parents are created before
 * children (shard ids grow with creation), so a crash half-way never leaves a child without its
 * parent. With LATEST, closed shards get SHARD_END leases: they are skipped, not read.
 */
final class ShardSync {
    private static final Logger log = LoggerFactory.getLogger(ShardSync.class);

    private final KinesisAsyncClient kinesis;
    private final StreamRef stream;
    private final LeaseTable table;
    private final InitialPosition initialPosition;

    ShardSync(KinesisAsyncClient kinesis, StreamRef stream, LeaseTable table, InitialPosition initialPosition) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.table = table;
        this.initialPosition = initialPosition;
    }

    /** Lists every shard (paginated). */
    List<Shard> listShards() {
        List<Shard> shards = new ArrayList<>();
        String token = null;
        do {
            ListShardsRequest request = token == null
                    ? stream.apply(ListShardsRequest.builder()).build()
                    : ListShardsRequest.builder().nextToken(token).build();
            ListShardsResponse response = PollingRetriever.await(kinesis.listShards(request));
            shards.addAll(response.shards());
            token = response.nextToken();
        } while (token != null);
        return shards;
    }

    /** Creates missing leases; returns how many it created. */
    int sync(TableSnapshot snapshot) {
        List<Shard> shards = listShards();
        Set<String> leased = new LinkedHashSet<>();
        snapshot.leases().forEach(l -> leased.add(l.leaseKey()));
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
            boolean closed = shard.sequenceNumberRange() != null
                    && shard.sequenceNumberRange().endingSequenceNumber() != null;
            Checkpoint start = initialPosition.checkpoint();
            if (closed && start.equals(Checkpoint.LATEST)) {
                start = Checkpoint.SHARD_END;
            }
            if (table.createLease(shard.shardId(), start, parents(shard), shard.hashKeyRange().startingHashKey(),
                    shard.hashKeyRange().endingHashKey())) {
                created++;
                log.info("Created lease for {} of {} at {}", shard.shardId(), stream.label(), start);
            }
        }
        reportHoles(shards);
        return created;
    }

    /**
     * After the missing leases were created, the open shards must cover the whole hash key space;
     * a hole means the stream's shard list itself is inconsistent (for example read in the middle
     * of a reshard): it is logged, and the next sync creates the leases that fill it.
     */
    private void reportHoles(List<Shard> shards) {
        List<io.shardwise.aggregation.HashKeyRange> open = shards.stream()
                .filter(s -> s.sequenceNumberRange() == null || s.sequenceNumberRange().endingSequenceNumber() == null)
                .map(s -> io.shardwise.aggregation.HashKeyRange.of(s.hashKeyRange().startingHashKey(),
                        s.hashKeyRange().endingHashKey()))
                .toList();
        List<io.shardwise.aggregation.HashKeyRange> holes = HashRangeCoverage.holes(open);
        if (!holes.isEmpty()) {
            log.warn("Open shards of {} leave hash key ranges uncovered: {}; the next shard sync retries",
                    stream.label(), holes);
        }
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
