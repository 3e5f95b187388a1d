package io.shardwise.consumer;

/** Creates the leases that shards without one need; see {@link ShardSync}. */
@FunctionalInterface
interface LeaseSync {
    /** Creates missing leases given what the table holds; returns how many it created or removed. */
    int sync(TableSnapshot snapshot);
}
