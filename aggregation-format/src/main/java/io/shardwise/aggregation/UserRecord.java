package io.shardwise.aggregation;

import java.util.Arrays;
import java.util.Objects;

/**
 * One user record to aggregate.
 *
 * @param partitionKey the record's partition key, never null
 * @param explicitHashKey the decimal explicit hash key, or null when absent
 * @param data the payload, never null (not copied)
 */
public record UserRecord(String partitionKey, String explicitHashKey, byte[] data) {

    public UserRecord {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserRecord r
                && partitionKey.equals(r.partitionKey)
                && Objects.equals(explicitHashKey, r.explicitHashKey)
                && Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, explicitHashKey, Arrays.hashCode(data));
    }

    /** Never shows the payload, only its size. */
    @Override
    public String toString() {
        return "UserRecord[partitionKey=" + partitionKey + ", explicitHashKey=" + explicitHashKey
                + ", data=" + data.length + " bytes]";
    }
}
