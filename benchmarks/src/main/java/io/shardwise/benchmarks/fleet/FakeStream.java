package io.shardwise.benchmarks.fleet;

import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Kinesis stream made of time: shard {@code s} has its record {@code i} from the moment
 * {@code opened + phase(s) + i * period}, each record one KPL aggregate of {@code usersPerRecord}
 * user records of 100 bytes whose explicit hash keys lie in the shard's range. Nothing is stored:
 * a record is its shard's one aggregate (made on first use) under its own sequence number, so memory
 * stays bounded at any shard count. Sequence numbers are {@code (shard + 1) * 10^12 + i}.
 *
 * <p>Resharding on command: {@link #split} closes a shard at the current tip and opens two children
 * over the halves of its hash range, as Kinesis's SplitShard does.
 */
final class FakeStream {
    static final BigInteger MAX_HASH = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    static final long SEQUENCE_BASE = 1_000_000_000_000L;
    static final int USER_RECORD_BYTES = 100;

    final String name;
    final long periodMillis;
    final int usersPerRecord;
    private final long startMillis = System.currentTimeMillis();
    private final List<Shard> shards = new CopyOnWriteArrayList<>();

    /** {@code shards} even shards, one aggregate of {@code usersPerRecord} user records per shard every {@code periodMillis}. */
    FakeStream(String name, int shards, long periodMillis, int usersPerRecord) {
        if (shards < 1 || shards > 100_000) {
            throw new IllegalArgumentException("shards must be 1..100000, was " + shards);
        }
        if (periodMillis < 1 || usersPerRecord < 1) {
            throw new IllegalArgumentException("period " + periodMillis + " ms and users per record "
                    + usersPerRecord + " must be at least 1");
        }
        this.name = name;
        this.periodMillis = periodMillis;
        this.usersPerRecord = usersPerRecord;
        BigInteger step = MAX_HASH.add(BigInteger.ONE).divide(BigInteger.valueOf(shards));
        for (int i = 0; i < shards; i++) {
            BigInteger start = step.multiply(BigInteger.valueOf(i));
            BigInteger end = i == shards - 1 ? MAX_HASH : start.add(step).subtract(BigInteger.ONE);
            this.shards.add(new Shard(i, start, end, null, startMillis));
        }
    }

    String arn() {
        return "arn:aws:kinesis:us-east-1:000000000000:stream/" + name;
    }

    List<Shard> shards() {
        return shards;
    }

    int openShardCount() {
        return (int) shards.stream().filter(s -> s.closedAt < 0).count();
    }

    Shard shard(String shardId) {
        int index = indexOf(shardId);
        if (index < 0 || index >= shards.size()) {
            return null;
        }
        return shards.get(index);
    }

    static int indexOf(String shardId) {
        try {
            return Integer.parseInt(shardId.substring(shardId.lastIndexOf('-') + 1));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    static String shardId(int index) {
        return String.format("shardId-%012d", index);
    }

    /** Closes open shard {@code index} at its tip and opens two children over the halves of its range. */
    synchronized List<Shard> split(int index) {
        Shard parent = shards.get(index);
        if (parent.closedAt >= 0) {
            throw new IllegalArgumentException("shard " + parent.id + " is already closed");
        }
        long now = System.currentTimeMillis();
        BigInteger middle = parent.startHash.add(parent.endHash).shiftRight(1);
        Shard low = new Shard(shards.size(), parent.startHash, middle, parent.id, now);
        Shard high = new Shard(shards.size() + 1, middle.add(BigInteger.ONE), parent.endHash, parent.id, now);
        parent.children = List.of(low, high);
        parent.closedAt = parent.available(now);
        shards.add(low);
        shards.add(high);
        return parent.children;
    }

    long sequenceNumber(Shard shard, long i) {
        return (shard.index + 1) * SEQUENCE_BASE + i;
    }

    /** The record index a sequence number names on its shard. */
    static long recordIndex(String sequenceNumber) {
        return Long.parseLong(sequenceNumber) % SEQUENCE_BASE;
    }

    /** One shard: its hash range, when it opened, where it closed (-1: open), and its children. */
    final class Shard {
        final int index;
        final String id;
        final BigInteger startHash;
        final BigInteger endHash;
        final String parentId;
        final long openedMillis;
        volatile long closedAt = -1;
        volatile List<Shard> children = List.of();
        private volatile String aggregateBase64;

        Shard(int index, BigInteger startHash, BigInteger endHash, String parentId, long openedMillis) {
            this.index = index;
            this.id = shardId(index);
            this.startHash = startHash;
            this.endHash = endHash;
            this.parentId = parentId;
            // Shards' records are spread over the period, not all due at the same instant.
            this.openedMillis = openedMillis + (long) index * 7919 % periodMillis;
        }

        /** How many records exist at {@code nowMillis}: indexes below it can be read. */
        long available(long nowMillis) {
            long count = nowMillis < openedMillis ? 0 : (nowMillis - openedMillis) / periodMillis + 1;
            long closed = closedAt;
            return closed >= 0 ? Math.min(closed, count) : count;
        }

        /** When record {@code i} arrived. */
        long arrivalMillis(long i) {
            return openedMillis + i * periodMillis;
        }

        /** The index of the first record at or after {@code millis}. */
        long indexAt(long millis) {
            return millis <= openedMillis ? 0 : (millis - openedMillis + periodMillis - 1) / periodMillis;
        }

        /** This shard's aggregate, base64, made once. */
        String aggregateBase64() {
            String data = aggregateBase64;
            if (data == null) {
                RecordAggregator aggregator = new RecordAggregator(RecordAggregator.MAX_BYTES_LIMIT, usersPerRecord);
                byte[] payload = new byte[USER_RECORD_BYTES];
                for (int j = 0; j < usersPerRecord; j++) {
                    payload[0] = (byte) j;
                    String hashKey = startHash.add(BigInteger.valueOf(j)).min(endHash).toString();
                    if (!aggregator.tryAdd("pk-" + index + "-" + j, hashKey, payload.clone())) {
                        throw new IllegalStateException("aggregate refused user record " + j);
                    }
                }
                KinesisRecord record = aggregator.emit();
                data = Base64.getEncoder().encodeToString(record.data());
                aggregateBase64 = data;
            }
            return data;
        }

        List<String> childIds() {
            List<String> ids = new ArrayList<>();
            children.forEach(c -> ids.add(c.id));
            return ids;
        }
    }
}
