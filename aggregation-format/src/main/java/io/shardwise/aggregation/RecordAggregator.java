package io.shardwise.aggregation;

import com.google.protobuf.CodedOutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Collects user records for one target (one shard) into a KPL aggregated record.
 *
 * <p>Size accounting is exact to the byte: the aggregator tracks the serialized size of both key
 * tables and of every record entry (tags, varint lengths, indexes, data) plus magic, checksum and
 * the outer partition key, so {@link #sizeBytesWith} tells before adding whether a record still fits
 * and {@link #emit()} never returns a record larger than {@code maxBytes}. Sizes are what Kinesis
 * counts: data length plus the UTF-8 length of the partition key.
 *
 * <p>Payloads are not copied when added: the aggregator keeps a reference until {@link #emit()},
 * which writes every byte once into the result. Do not modify a payload after adding it.
 *
 * <p>Not thread-safe: use one aggregator per target and thread.
 */
public final class RecordAggregator {

    /** The KPL's default limit for an aggregated record. */
    public static final int DEFAULT_MAX_BYTES = 51_200;
    /** The largest {@code maxBytes}: a stream raised to 10 MiB records. */
    public static final int MAX_BYTES_LIMIT = 10 * 1024 * 1024;
    /** By default only {@code maxBytes} bounds an aggregate, as in the KPL. */
    public static final int DEFAULT_MAX_RECORDS = Integer.MAX_VALUE;

    /** Per-record arrays longer than this are not kept after an emit: an idle aggregator stays small. */
    private static final int KEEP_RECORDS = 4096;
    private static final int OUTER_KEY_BYTES = AggregateFormat.AGGREGATE_PARTITION_KEY.length();

    private final int maxBytes;
    private final int maxRecords;
    private final KeyTable partitionKeys = new KeyTable(AggregateFormat.TAG_PARTITION_KEY_TABLE);
    private final KeyTable explicitHashKeys = new KeyTable(AggregateFormat.TAG_EXPLICIT_HASH_KEY_TABLE);

    private int count;
    private int[] partitionKeyIndexes = new int[16];
    private int[] explicitHashKeyIndexes = new int[16];
    /** The size of each record's Record message, counted once when it is added. */
    private int[] recordSizes = new int[16];
    /**
     * Aggregates up to this size (the KPL's default 51,200 among them) are written into a per-thread
     * scratch array and copied out once: {@code Arrays.copyOf} fills a new array without zeroing it
     * first, while {@code new byte[]} zeroes fresh memory and the encoder then writes it again (1 to
     * 2% of encode time at 1 KiB and 10 KiB records). Larger aggregates are written in place, so no
     * thread keeps more than this. The scratch pays off on threads that emit many aggregates (the
     * producer's); a thread that emits once, such as a short-lived virtual thread, pays for it instead.
     */
    private static final int SCRATCH_BYTES = 64 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);
    private byte[][] payloads = new byte[16][];
    /** Serialized size of all record entries (field 3 of AggregatedRecord). */
    private long recordsSize;
    private String firstPartitionKey;
    private String firstExplicitHashKey;

    /** An aggregator with the KPL defaults: 51,200 bytes, no record count limit. */
    public RecordAggregator() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_RECORDS);
    }

    /**
     * @param maxBytes the largest record to emit, 1 .. {@link #MAX_BYTES_LIMIT}
     * @param maxRecords the most user records per aggregate, at least 1
     * @throws IllegalArgumentException naming the value and the limit when out of range
     */
    public RecordAggregator(int maxBytes, int maxRecords) {
        if (maxBytes < 1 || maxBytes > MAX_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + " must be in 1.." + MAX_BYTES_LIMIT);
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords " + maxRecords + " must be at least 1");
        }
        this.maxBytes = maxBytes;
        this.maxRecords = maxRecords;
    }

    /**
     * Adds the record if the emitted record would stay within {@code maxBytes} and the count within
     * {@code maxRecords}; otherwise returns false and changes nothing. An empty aggregator accepts
     * any record whose plain form fits; a record that never fits returns false even then (send it
     * plain yourself).
     *
     * @throws InvalidHashKeyException when {@code explicitHashKey} is given and invalid
     */
    public boolean tryAdd(String partitionKey, String explicitHashKey, byte[] data) {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
        if (explicitHashKey != null) {
            HashKeys.checkExplicit(explicitHashKey);
        }
        if (count >= maxRecords) {
            return false;
        }
        if (partitionKey.length() > maxBytes) {
            return false; // every char takes at least one byte
        }
        if (count == 0 && (long) Utf8.encodedLength(partitionKey) + data.length > maxBytes) {
            return false; // not even the plain form fits
        }
        // New keys are encoded into their tables at once (one pass over their chars) and taken
        // back below if the record does not fit after all.
        int pkIndex = partitionKeys.indexOf(partitionKey);
        boolean newPartitionKey = pkIndex < 0;
        if (newPartitionKey) {
            pkIndex = partitionKeys.add(partitionKey);
        }
        int ehkIndex = -1;
        boolean newExplicitHashKey = false;
        if (explicitHashKey != null) {
            ehkIndex = explicitHashKeys.indexOf(explicitHashKey);
            newExplicitHashKey = ehkIndex < 0;
            if (newExplicitHashKey) {
                ehkIndex = explicitHashKeys.add(explicitHashKey);
            }
        }
        int recordSize = recordSize(pkIndex, ehkIndex, data.length);
        long records = recordsSize + entrySize(recordSize);
        if (count > 0 && aggregateSize(partitionKeys.serializedSize(), explicitHashKeys.serializedSize(), records)
                > maxBytes) {
            if (newExplicitHashKey) {
                explicitHashKeys.removeLast();
            }
            if (newPartitionKey) {
                partitionKeys.removeLast();
            }
            return false;
        }
        append(pkIndex, ehkIndex, recordSize, data);
        recordsSize = records;
        if (count == 1) {
            firstPartitionKey = partitionKey;
            firstExplicitHashKey = explicitHashKey;
        }
        return true;
    }

    /** Same as {@code tryAdd(r.partitionKey(), r.explicitHashKey(), r.data())}. */
    public boolean tryAdd(UserRecord record) {
        return tryAdd(record.partitionKey(), record.explicitHashKey(), record.data());
    }

    /** Exact size of the record {@link #emit()} would return now (plain form for one record); 0 when empty. */
    public int sizeBytes() {
        if (count == 0) {
            return 0;
        }
        if (count == 1) {
            return Utf8.encodedLength(firstPartitionKey) + payloads[0].length;
        }
        return clamp(aggregateSize(partitionKeys.serializedSize(), explicitHashKeys.serializedSize(), recordsSize));
    }

    /** Exact size {@link #emit()} would return if this record were added; no copy, no change. */
    public int sizeBytesWith(String partitionKey, String explicitHashKey, int dataLength) {
        int pkIndex = partitionKeys.indexOf(partitionKey);
        int pkLength = pkIndex < 0 ? Utf8.encodedLength(partitionKey) : 0;
        int ehkIndex = explicitHashKey == null ? -1 : explicitHashKeys.indexOf(explicitHashKey);
        int ehkLength = explicitHashKey != null && ehkIndex < 0 ? Utf8.encodedLength(explicitHashKey) : 0;
        return clamp(sizeWith(partitionKey, pkIndex, pkLength, explicitHashKey, ehkIndex, ehkLength, dataLength));
    }

    /** How many user records the aggregator holds. */
    public int recordCount() {
        return count;
    }

    /** True when no record was added since the last {@link #emit()}. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** The byte limit of this aggregator. */
    public int maxBytes() {
        return maxBytes;
    }

    /** The record count limit of this aggregator. */
    public int maxRecords() {
        return maxRecords;
    }

    /**
     * Builds the Kinesis record and resets the aggregator. One user record gives a plain record
     * under its own key; two or more give a KPL aggregate with partition key {@code "a"} and the
     * first user record's hash key as explicit hash key, so it lands on that record's shard.
     *
     * @throws IllegalStateException when empty
     */
    public KinesisRecord emit() {
        if (count == 0) {
            throw new IllegalStateException("nothing to emit: the aggregator is empty");
        }
        try {
            if (count == 1) {
                return new KinesisRecord(firstPartitionKey, firstExplicitHashKey, payloads[0], 1, false);
            }
            String outerHashKey = HashKeys.effective(firstPartitionKey, firstExplicitHashKey).toString();
            return new KinesisRecord(AggregateFormat.AGGREGATE_PARTITION_KEY, outerHashKey, encode(), count, true);
        } finally {
            reset();
        }
    }

    private byte[] encode() {
        int messageSize = (int) (partitionKeys.serializedSize() + explicitHashKeys.serializedSize() + recordsSize);
        int total = messageSize + AggregateFormat.FRAME_BYTES;
        byte[] scratch = total <= SCRATCH_BYTES ? SCRATCH.get() : null;
        byte[] out = scratch != null ? scratch : new byte[total];
        System.arraycopy(AggregateFormat.MAGIC, 0, out, 0, AggregateFormat.MAGIC.length);
        int messageOffset = AggregateFormat.MAGIC.length;
        int pos = partitionKeys.writeTo(out, messageOffset);
        pos = explicitHashKeys.writeTo(out, pos);
        // Record entries are written as plain varints and bytes into the exactly sized array: no
        // CodedOutputStream call and bounds check per field.
        for (int i = 0; i < count; i++) {
            pos = writeRecord(out, pos, partitionKeyIndexes[i], explicitHashKeyIndexes[i], recordSizes[i],
                    payloads[i]);
        }
        if (pos != messageOffset + messageSize) {
            throw new IllegalStateException("size accounting disagrees with the encoder (a bug): wrote "
                    + (pos - messageOffset) + " of " + messageSize + " bytes");
        }
        Md5.local().digest(out, messageOffset, messageSize, out, messageOffset + messageSize);
        return scratch != null ? Arrays.copyOf(scratch, total) : out;
    }

    /** Writes one entry of field 3 at {@code pos}; returns the position after it. */
    private static int writeRecord(byte[] out, int pos, int pkIndex, int ehkIndex, int recordSize, byte[] data) {
        out[pos++] = (byte) AggregateFormat.TAG_RECORDS;
        pos = Varint.write(out, pos, recordSize);
        out[pos++] = (byte) AggregateFormat.TAG_PARTITION_KEY_INDEX;
        pos = Varint.write(out, pos, pkIndex);
        if (ehkIndex >= 0) {
            out[pos++] = (byte) AggregateFormat.TAG_EXPLICIT_HASH_KEY_INDEX;
            pos = Varint.write(out, pos, ehkIndex);
        }
        out[pos++] = (byte) AggregateFormat.TAG_DATA;
        pos = Varint.write(out, pos, data.length);
        System.arraycopy(data, 0, out, pos, data.length);
        return pos + data.length;
    }

    /**
     * The size after adding a record; {@code pkLength} / {@code ehkLength} are the UTF-8 lengths of
     * keys not yet in their table (index -1).
     */
    private long sizeWith(String partitionKey, int pkIndex, int pkLength, String explicitHashKey, int ehkIndex,
                          int ehkLength, int dataLength) {
        if (count == 0) {
            return (long) pkLength + dataLength; // plain form; the tables are empty, so pkIndex is -1
        }
        long pkTable = partitionKeys.serializedSize();
        if (pkIndex < 0) {
            pkIndex = partitionKeys.size();
            pkTable += KeyTable.entrySize(pkLength);
        }
        long ehkTable = explicitHashKeys.serializedSize();
        if (explicitHashKey != null && ehkIndex < 0) {
            ehkIndex = explicitHashKeys.size();
            ehkTable += KeyTable.entrySize(ehkLength);
        }
        return aggregateSize(pkTable, ehkTable, recordsSize + recordEntrySize(pkIndex, ehkIndex, dataLength));
    }

    private static long aggregateSize(long pkTable, long ehkTable, long records) {
        return AggregateFormat.FRAME_BYTES + pkTable + ehkTable + records + OUTER_KEY_BYTES;
    }

    /** Bytes of one entry in field 3: tag, length, then the Record message. */
    private static long recordEntrySize(int pkIndex, int ehkIndex, int dataLength) {
        return entrySize(recordSize(pkIndex, ehkIndex, dataLength));
    }

    private static long entrySize(int recordSize) {
        return 1L + CodedOutputStream.computeUInt32SizeNoTag(recordSize) + recordSize;
    }

    /** Bytes of one Record message; saturates instead of overflowing for absurd lengths. */
    private static int recordSize(int pkIndex, int ehkIndex, int dataLength) {
        long size = 1L + CodedOutputStream.computeUInt64SizeNoTag(pkIndex)
                + (ehkIndex >= 0 ? 1L + CodedOutputStream.computeUInt64SizeNoTag(ehkIndex) : 0L)
                + 1L + CodedOutputStream.computeUInt32SizeNoTag(dataLength) + dataLength;
        return clamp(size);
    }

    private void append(int pkIndex, int ehkIndex, int recordSize, byte[] data) {
        if (count == payloads.length) {
            int capacity = count * 2;
            partitionKeyIndexes = Arrays.copyOf(partitionKeyIndexes, capacity);
            explicitHashKeyIndexes = Arrays.copyOf(explicitHashKeyIndexes, capacity);
            recordSizes = Arrays.copyOf(recordSizes, capacity);
            payloads = Arrays.copyOf(payloads, capacity);
        }
        partitionKeyIndexes[count] = pkIndex;
        explicitHashKeyIndexes[count] = ehkIndex;
        recordSizes[count] = recordSize;
        payloads[count] = data;
        count++;
    }

    private void reset() {
        // A fresh array instead of clearing the old one: with G1, storing payloads into an array
        // that has reached the old generation costs a memory fence per store, into a young one
        // nothing. Arrays grown for an aggregate of very many records are not kept.
        if (payloads.length > KEEP_RECORDS) {
            partitionKeyIndexes = new int[16];
            explicitHashKeyIndexes = new int[16];
            recordSizes = new int[16];
            payloads = new byte[16][];
        } else {
            payloads = new byte[payloads.length][];
        }
        partitionKeys.clear();
        explicitHashKeys.clear();
        count = 0;
        recordsSize = 0;
        firstPartitionKey = null;
        firstExplicitHashKey = null;
    }

    private static int clamp(long size) {
        return (int) Math.min(Integer.MAX_VALUE, size);
    }
}
