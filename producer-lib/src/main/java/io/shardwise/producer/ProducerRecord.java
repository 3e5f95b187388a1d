package io.shardwise.producer;

import java.util.Objects;

/**
 * A user record with the options that apply to it alone. Build one with {@link #of(String, byte[])}
 * and refine it with the {@code with...} methods.
 *
 * @param partitionKey 1 to 256 Unicode characters; decides the shard unless an explicit hash key is given
 * @param explicitHashKey a decimal number in 0 .. 2^128-1 that decides the shard, or null
 * @param data the payload, never null
 * @param unordered true when this record's order relative to others of its key does not matter; such a
 *     record may be moved off a hot shard when key spreading is on
 * @param orderingSubKey for ordered data of a hot key: the finer key within which order must hold
 *     (e.g. a device id under a tenant key); with key spreading on, a hot key's records are spread over
 *     buckets picked from this sub-key, so order still holds per sub-key. Null when not given.
 */
public record ProducerRecord(String partitionKey, String explicitHashKey, byte[] data, boolean unordered,
                             String orderingSubKey) {
    /** An ordered record with no explicit hash key. */
    public static ProducerRecord of(String partitionKey, byte[] data) {
        return new ProducerRecord(partitionKey, null, data, false, null);
    }

    /** The same record sent to the shard that owns {@code explicitHashKey}. */
    public ProducerRecord withExplicitHashKey(String explicitHashKey) {
        return new ProducerRecord(partitionKey, explicitHashKey, data, unordered, orderingSubKey);
    }

    /** The same record, marked as free to be reordered (and so free to be moved off a hot shard). */
    public ProducerRecord asUnordered() {
        return new ProducerRecord(partitionKey, explicitHashKey, data, true, orderingSubKey);
    }

    /** The same record with an ordering sub-key (see the class comment). */
    public ProducerRecord withOrderingSubKey(String orderingSubKey) {
        return new ProducerRecord(partitionKey, explicitHashKey, data, unordered,
                Objects.requireNonNull(orderingSubKey, "orderingSubKey"));
    }

    @Override
    public String toString() {
        // Never the payload: it may hold personal data.
        return "ProducerRecord[partitionKey=" + partitionKey + ", explicitHashKey=" + explicitHashKey
                + ", bytes=" + (data == null ? "null" : data.length) + ", unordered=" + unordered + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProducerRecord r && Objects.equals(partitionKey, r.partitionKey)
                && Objects.equals(explicitHashKey, r.explicitHashKey) && java.util.Arrays.equals(data, r.data)
                && unordered == r.unordered && Objects.equals(orderingSubKey, r.orderingSubKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, explicitHashKey, java.util.Arrays.hashCode(data), unordered, orderingSubKey);
    }
}
