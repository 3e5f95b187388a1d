package io.shardwise.consumer;

import java.util.Objects;
import java.util.Optional;

/**
 * The lease key of a shard in a multi-stream lease table, in the KCL 2.3+ / 3.x form
 * {@code account:streamName:creationEpoch:shardId}. Single-stream tables key leases by the bare
 * shard id, which never contains a colon.
 */
public record MultiStreamLeaseKey(StreamIdentifier stream, String shardId) {

    public MultiStreamLeaseKey {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(shardId, "shardId");
        if (shardId.isEmpty() || shardId.contains(":")) {
            throw new IllegalArgumentException("a shard id is non-empty and has no ':', was '" + shardId + "'");
        }
    }

    /** The lease key, {@code account:streamName:creationEpoch:shardId}. */
    public String leaseKey() {
        return stream.serialize() + ":" + shardId;
    }

    /** Reads a multi-stream lease key; a malformed one is refused with the reason. */
    public static MultiStreamLeaseKey parse(String leaseKey) {
        Objects.requireNonNull(leaseKey, "leaseKey");
        int last = leaseKey.lastIndexOf(':');
        if (last < 0) {
            throw new IllegalArgumentException("a multi-stream lease key is account:streamName:creationEpoch:shardId,"
                    + " was '" + leaseKey + "' (a single-stream key: a bare shard id)");
        }
        return new MultiStreamLeaseKey(StreamIdentifier.parse(leaseKey.substring(0, last)), leaseKey.substring(last + 1));
    }

    /** The key read as a multi-stream key, or empty when it is not one (a single-stream key, or malformed). */
    public static Optional<MultiStreamLeaseKey> tryParse(String leaseKey) {
        try {
            return Optional.of(parse(leaseKey));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return leaseKey();
    }
}
