package io.shardwise.producer;

import io.shardwise.aggregation.HashKeys;
import io.shardwise.aggregation.InvalidHashKeyException;
import java.nio.charset.StandardCharsets;

/**
 * First stage: checks a record against the Kinesis limits before it costs any memory, so a bad record
 * fails alone and at once with an error that names the value and the limit.
 */
final class RecordValidator {
    static final int MAX_PARTITION_KEY_CHARS = 256;

    private final int maxRecordBytes;

    RecordValidator(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The record's size as Kinesis counts it (data plus UTF-8 key), after checking every limit. */
    int validate(String partitionKey, String explicitHashKey, byte[] data) {
        if (partitionKey == null) {
            throw new InvalidRecordException("partitionKey", "partitionKey is null; it must hold 1 to "
                    + MAX_PARTITION_KEY_CHARS + " Unicode characters");
        }
        int characters = partitionKey.codePointCount(0, partitionKey.length());
        if (characters < 1 || characters > MAX_PARTITION_KEY_CHARS) {
            throw new InvalidRecordException("partitionKey", "partitionKey has " + characters
                    + " characters; it must hold 1 to " + MAX_PARTITION_KEY_CHARS + " (key starts with '"
                    + partitionKey.substring(0, Math.min(32, partitionKey.length())) + "')");
        }
        if (explicitHashKey != null) {
            try {
                HashKeys.parseExplicit(explicitHashKey);
            } catch (InvalidHashKeyException e) {
                throw new InvalidRecordException("explicitHashKey", "explicitHashKey '" + explicitHashKey
                        + "' is not a decimal integer in 0 .. 2^128-1: " + e.getMessage());
            }
        }
        if (data == null) {
            throw new InvalidRecordException("data", "data is null; send an empty array for an empty record");
        }
        int keyBytes = utf8Length(partitionKey);
        long size = (long) data.length + keyBytes;
        if (size > maxRecordBytes) {
            throw new InvalidRecordException("data", "record of " + data.length + " data bytes plus " + keyBytes
                    + " partition key bytes = " + size + " bytes exceeds the stream's maximum record size of "
                    + maxRecordBytes + " bytes (maxRecordBytes; raise it only for streams configured above 1 MiB)");
        }
        return (int) size;
    }

    static int utf8Length(String text) {
        int length = text.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // Uncommon path: let the JDK count multi-byte characters and surrogate pairs exactly.
                return text.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes;
    }
}
