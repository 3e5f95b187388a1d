package io.shardwise.testkit.lambda;

import io.shardwise.kinesis.ListShardsPager;
import io.shardwise.kinesis.StreamReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The shards the local event source mapping follows: those ListShards names (at start, every 10
 * seconds, and soon after a shard ended) and the children an ended shard names. A shard is read
 * only once its parents are finished, so parents are delivered before their children after a
 * reshard. Shards present at the first listing begin at the mapping's starting position, later
 * ones at the trim horizon.
 *
 * <p>Changed only by the polling thread; {@link #idleSince} is also read by {@code awaitIdle}.
 */
final class EventSourceShards {

    private static final Duration RELIST_INTERVAL = Duration.ofSeconds(10);

    private final EventSourceSettings settings;
    private final List<EventSourceShard> shards = new CopyOnWriteArrayList<>();
    private final Map<String, EventSourceShard> shardsById = new ConcurrentHashMap<>();
    private volatile boolean discovered;
    private long lastListNanos;

    EventSourceShards(EventSourceSettings settings) {
        this.settings = settings;
    }

    /** Lists the stream's shards when it never did, or when the last listing is too old. */
    void listIfDue() {
        if (!discovered || System.nanoTime() - lastListNanos > RELIST_INTERVAL.toNanos()) {
            listShards();
        }
    }

    /** Every shard known so far, parents before their children. */
    List<EventSourceShard> all() {
        return shards;
    }

    /** Not yet finished, and every parent is: the shard may be read and delivered. */
    boolean readable(EventSourceShard shard) {
        return !shard.finished() && parentsFinished(shard);
    }

    /** A shard was read to its end: follow the children it names, and list again for any it did not. */
    void ended(List<ChildShard> children) {
        if (children != null) {
            for (ChildShard child : children) {
                addShard(child.shardId(), child.parentShards(), false);
            }
        }
        lastListNanos = 0;
    }

    /** True when, at polls begun after {@code sinceNanos}, no shard had anything left to deliver. */
    boolean idleSince(long sinceNanos) {
        if (!discovered) {
            return false;
        }
        for (EventSourceShard shard : shards) {
            if (!shard.idleSince(sinceNanos)) {
                return false;
            }
        }
        return true;
    }

    /** A parent that is not (or no longer) in the stream's shard list counts as finished. */
    private boolean parentsFinished(EventSourceShard shard) {
        for (String parentId : shard.parentShardIds) {
            EventSourceShard parent = shardsById.get(parentId);
            if (parent != null && !parent.finished()) {
                return false;
            }
        }
        return true;
    }

    private void listShards() {
        ListShardsPager pager = new ListShardsPager(StreamReference.ofName(settings.streamName()));
        for (Shard shard : pager.listAll(settings.kinesis()::listShards)) {
            List<String> parents = new ArrayList<>(2);
            if (shard.parentShardId() != null) {
                parents.add(shard.parentShardId());
            }
            if (shard.adjacentParentShardId() != null) {
                parents.add(shard.adjacentParentShardId());
            }
            addShard(shard.shardId(), parents, !discovered);
        }
        lastListNanos = System.nanoTime();
        discovered = true;
    }

    private void addShard(String shardId, List<String> parents, boolean fromStartingPosition) {
        if (!shardsById.containsKey(shardId)) {
            EventSourceShard shard = new EventSourceShard(shardId, parents, fromStartingPosition,
                    settings.parallelizationFactor());
            shardsById.put(shardId, shard);
            shards.add(shard);
        }
    }
}
