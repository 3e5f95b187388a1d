package io.shardwise.aggregation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/** Test helpers: build aggregates by hand and frame arbitrary message bytes. */
final class Aggregates {

    private Aggregates() {
    }

    /** Aggregates the records with an aggregator large enough for all of them; fails if not aggregated. */
    static KinesisRecord aggregate(List<UserRecord> records) {
        RecordAggregator aggregator = new RecordAggregator(RecordAggregator.MAX_BYTES_LIMIT, Integer.MAX_VALUE);
        for (UserRecord record : records) {
            if (!aggregator.tryAdd(record)) {
                throw new AssertionError("did not fit: " + record);
            }
        }
        return aggregator.emit();
    }

    /** Magic + message + MD5(message): a checksummed frame around any bytes. */
    static byte[] frame(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(AggregateFormat.MAGIC);
        out.writeBytes(message);
        out.writeBytes(md5(message));
        return out.toByteArray();
    }

    /** The message between magic and checksum. */
    static byte[] message(byte[] aggregate) {
        return Arrays.copyOfRange(aggregate, 4, aggregate.length - 16);
    }

    static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
