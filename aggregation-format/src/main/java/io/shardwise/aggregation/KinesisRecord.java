package io.shardwise.aggregation;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kinesis record ready for PutRecords.
 *
 * @param partitionKey the partition key to send ({@code "a"} for an aggregate)
 * @param explicitHashKey the decimal explicit hash key to send, or null
 * @param data the record's data: the user payload for a plain record, the KPL aggregate otherwise
 * @param userRecordCount how many user records this record carries
 * @param aggregated false for a plain record (one user record under its own key)
 */
public record KinesisRecord(String partitionKey, String explicitHashKey, byte[] data,
                            int userRecordCount, boolean aggregated) {

    public KinesisRecord {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
    }

    /** The size Kinesis counts against its limits: data length plus UTF-8 length of the partition key. */
    public int sizeBytes() {
        return data.length + Utf8.encodedLength(partitionKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KinesisRecord r
                && partitionKey.equals(r.partitionKey)
                && Objects.equals(explicitHashKey, r.explicitHashKey)
                && Arrays.equals(data, r.data)
                && userRecordCount == r.userRecordCount
                && aggregated == r.aggregated;
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, explicitHashKey, Arrays.hashCode(data), userRecordCount, aggregated);
    }

    /** Never shows the payload, only its size. */
    @Override
    public String toString() {
        return "KinesisRecord[partitionKey=" + partitionKey + ", explicitHashKey=" + explicitHashKey
                + ", data=" + data.length + " bytes, userRecordCount=" + userRecordCount
                + ", aggregated=" + aggregated + "]";
    }
}
