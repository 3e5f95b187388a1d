package io.shardwise.consumer;

import io.shardwise.kinesis.StreamReference;
import java.util.Set;

/**
 * How the leases of one stream relate to its shards. In a single-stream table a lease key is the
 * shard id; in a multi-stream table it is {@code account:streamName:creationEpoch:shardId}
 * ({@link MultiStreamLeaseKey}) and the item also carries {@code streamName} (the serialized stream
 * identifier) and {@code shardId}, as the KCL writes them. Parent and child shard ids are stored
 * bare in both forms; {@link LeaseTable} turns them into lease keys when it reads a multi-stream
 * item, so lease rounds compare lease keys only.
 *
 * <p>{@code active} is false for a stream the tracker no longer returns: a lease of it taken by a
 * round that raced the removal is released at once instead of processed.
 */
final class StreamScope {
    private final StreamIdentifier identifier;
    private final StreamReference ref;
    private final InitialPosition initialPosition;
    private final RetrieverFactory retrievers;
    private final boolean active;

    private StreamScope(StreamIdentifier identifier, StreamReference ref, InitialPosition initialPosition,
                        RetrieverFactory retrievers, boolean active) {
        this.identifier = identifier;
        this.ref = ref;
        this.initialPosition = initialPosition;
        this.retrievers = retrievers;
        this.active = active;
    }

    /** The one stream of a single-stream consumer: lease key = shard id. */
    static StreamScope single(StreamReference ref, InitialPosition initialPosition, RetrieverFactory retrievers) {
        return new StreamScope(null, ref, initialPosition, retrievers, true);
    }

    static StreamScope multi(StreamConfig config, RetrieverFactory retrievers) {
        return new StreamScope(config.streamIdentifier(), config.ref(), config.initialPosition(), retrievers, true);
    }

    /** A stream no longer tracked: its leases are released, never processed. */
    static StreamScope inactive(StreamIdentifier identifier) {
        return new StreamScope(identifier, null, null, null, false);
    }

    /** Null for a single-stream consumer. */
    StreamIdentifier identifier() {
        return identifier;
    }

    StreamReference ref() {
        return ref;
    }

    InitialPosition initialPosition() {
        return initialPosition;
    }

    RetrieverFactory retrievers() {
        return retrievers;
    }

    boolean active() {
        return active;
    }

    String label() {
        return identifier != null ? identifier.serialize() : ref != null ? ref.label() : "(no stream)";
    }

    String leaseKey(String shardId) {
        return identifier == null ? shardId : new MultiStreamLeaseKey(identifier, shardId).leaseKey();
    }

    /** The shard id of one of this stream's lease keys. */
    String shardId(String leaseKey) {
        return identifier == null ? leaseKey : leaseKey.substring(identifier.serialize().length() + 1);
    }

    /** Whether the lease key is one of this stream's. */
    boolean owns(String leaseKey) {
        return identifier == null || leaseKey.startsWith(identifier.serialize() + ":");
    }

    RecordProcessor newProcessor(RecordProcessorFactory factory, String shardId) {
        return identifier == null ? factory.create(shardId) : factory.create(shardId, identifier);
    }

    /** Creates the lease of one of this stream's shards unless one exists (parents given as bare shard ids). */
    boolean createLease(LeaseStore table, String shardId, Checkpoint start, Set<String> parentShardIds,
                        String startingHashKey, String endingHashKey) {
        return table.createLease(leaseKey(shardId), start, parentShardIds, startingHashKey, endingHashKey,
                identifier == null ? null : identifier.serialize(), identifier == null ? null : shardId);
    }
}
