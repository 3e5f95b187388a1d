package io.shardwise.consumer;

import io.shardwise.aggregation.HashKeyRange;
import java.util.List;

/**
 * What a lease round asks of the shard side: create missing leases (and clean up vanished ones),
 * and tell which stream a lease belongs to. One {@link ShardSync} for a single-stream consumer, a
 * {@link MultiStreamSync} over one ShardSync per tracked stream otherwise.
 */
interface LeaseSync {
    /** Creates missing leases; returns how many it created. */
    int sync(TableSnapshot snapshot);

    /** The stream of a lease key (an inactive scope for a stream no longer tracked). */
    StreamScope scopeOf(String leaseKey);

    /** Hash key ranges the open shards left uncovered at the last sync, over every stream. */
    List<HashKeyRange> streamHoles();
}
