package io.shardwise.benchmarks.aggregation;

import io.shardwise.aggregation.Deaggregation;
import io.shardwise.aggregation.Deaggregator;
import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.aggregation.HashKeys;
import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import java.math.BigInteger;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The work the aggregation benchmarks measure, shared by the JMH benchmark and the CPU-time
 * report. One operation processes one batch of about 1 MiB of user data: {@link #batchRecords()}
 * records of {@code recordBytes} bytes with partition keys drawn from 10,007 keys (as in the
 * producer benchmark beside the KPL, see benchmarks/README.md), in aggregates of the KPL's default
 * 51,200 bytes. Every operation returns a value derived from its output so that nothing can be optimized away.
 */
final class AggregationWorkload {

    static final int BATCH_BYTES = 1 << 20;
    private static final int DISTINCT_KEYS = 10_007;
    private static final HashKeyRange WHOLE_RANGE = new HashKeyRange(BigInteger.ZERO, HashKeys.MAX);

    private final int recordBytes;
    private final int batchRecords;
    private final String[] keys;
    private final byte[][] payloads;
    private final RecordAggregator aggregator = new RecordAggregator();
    private final List<byte[]> aggregates = new ArrayList<>();
    /** Where each aggregate's records start in the batch (plus the end), for the MD5 baselines. */
    private final int[] aggregateStarts;
    private final MessageDigest md5;
    private final byte[] digest = new byte[16];

    AggregationWorkload(int recordBytes) {
        this.recordBytes = recordBytes;
        this.batchRecords = BATCH_BYTES / recordBytes;
        SplittableRandom random = new SplittableRandom(42);
        keys = new String[batchRecords];
        payloads = new byte[batchRecords][];
        for (int i = 0; i < batchRecords; i++) {
            keys[i] = "key-" + random.nextInt(DISTINCT_KEYS);
            payloads[i] = new byte[recordBytes];
            random.nextBytes(payloads[i]);
        }
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < batchRecords; i++) {
            if (!aggregator.tryAdd(keys[i], null, payloads[i])) {
                aggregates.add(aggregator.emit().data());
                starts.add(i);
                aggregator.tryAdd(keys[i], null, payloads[i]);
            }
        }
        aggregates.add(aggregator.emit().data());
        starts.add(batchRecords);
        aggregateStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    int recordBytes() {
        return recordBytes;
    }

    int batchRecords() {
        return batchRecords;
    }

    int aggregateCount() {
        return aggregates.size();
    }

    /** Every record of the batch through the aggregator, emitting whenever the next does not fit. */
    int encode() {
        int result = 0;
        for (int i = 0; i < batchRecords; i++) {
            if (!aggregator.tryAdd(keys[i], null, payloads[i])) {
                result += consume(aggregator.emit());
                aggregator.tryAdd(keys[i], null, payloads[i]);
            }
        }
        return result + consume(aggregator.emit());
    }

    /** Every aggregate of the batch through the deaggregator. */
    int decode() {
        return decode(null);
    }

    /**
     * Every aggregate of the batch through the deaggregator with the shard's hash key range, as a
     * consumer calls it: each distinct key of an aggregate is hashed to check it belongs there.
     */
    int decodeInShard() {
        return decode(WHOLE_RANGE);
    }

    private int decode(HashKeyRange shardRange) {
        int result = 0;
        for (byte[] aggregate : aggregates) {
            Deaggregation deaggregation = Deaggregator.deaggregate("a", null, aggregate, "1", shardRange);
            result += deaggregation.records().size() + deaggregation.records().get(0).data().length;
        }
        return result;
    }

    /** MD5 over the user payloads, one digest per aggregate's worth: the least hashing a codec must do. */
    int md5UserBytes() {
        int result = 0;
        for (int a = 0; a + 1 < aggregateStarts.length; a++) {
            for (int i = aggregateStarts[a]; i < aggregateStarts[a + 1]; i++) {
                md5.update(payloads[i]);
            }
            result += finish();
        }
        return result;
    }

    /** MD5 over the aggregates' protobuf messages: exactly the hashing encode and decode do. */
    int md5AggregateBytes() {
        int result = 0;
        for (byte[] aggregate : aggregates) {
            md5.update(aggregate, 4, aggregate.length - 20);
            result += finish();
        }
        return result;
    }

    private int finish() {
        try {
            md5.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        return digest[0];
    }

    private static int consume(KinesisRecord record) {
        return record.data().length + record.data()[record.data().length - 1];
    }
}
