package io.shardwise.testkit.faults;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open shards of each stream, as hash key ranges, loaded once per stream and reloaded when a
 * hash key falls in no known range (a stream seen for the first time, or one that was resharded).
 */
final class ShardLimitShardMap {

    /** An open shard and its inclusive hash key range. */
    record Shard(String id, BigInteger start, BigInteger end) {
        boolean contains(BigInteger hashKey) {
            return start.compareTo(hashKey) <= 0 && hashKey.compareTo(end) <= 0;
        }
    }

    /** Loads a stream's open shards; an empty list when the stream does not exist. */
    @FunctionalInterface
    interface Lister {
        List<Shard> openShards(String stream) throws IOException;
    }

    private final Map<String, List<Shard>> shardsByStream = new ConcurrentHashMap<>();

    /** The id of the open shard holding the hash key, or null when the stream has none. */
    String shardFor(String stream, BigInteger hashKey, Lister lister) throws IOException {
        String id = find(shardsByStream.get(stream), hashKey);
        if (id == null) {
            List<Shard> shards = List.copyOf(lister.openShards(stream));
            shardsByStream.put(stream, shards);
            id = find(shards, hashKey);
        }
        return id;
    }

    /** Kinesis's hash key: the explicit one when given, else MD5 of the UTF-8 partition key, unsigned big-endian. */
    static BigInteger hashKey(String partitionKey, String explicitHashKey) {
        if (explicitHashKey != null) {
            return new BigInteger(explicitHashKey);
        }
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides MD5", e);
        }
    }

    private static String find(List<Shard> shards, BigInteger hashKey) {
        if (shards != null) {
            for (Shard shard : shards) {
                if (shard.contains(hashKey)) {
                    return shard.id();
                }
            }
        }
        return null;
    }
}
