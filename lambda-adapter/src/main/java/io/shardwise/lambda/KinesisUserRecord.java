package io.shardwise.lambda;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One user record out of a Kinesis event: a plain Kinesis record, or one sub-record of a KPL
 * aggregate. Sub-records of one aggregate share its sequence number and arrival time and carry
 * sub-sequence numbers 0, 1, 2, ... in order.
 *
 * @param eventSourceArn the stream's ARN, from the event
 * @param shardId the shard, from the event id ({@code shardId-...:sequenceNumber})
 * @param partitionKey the user record's own partition key (not the aggregate's {@code "a"})
 * @param explicitHashKey the user record's explicit hash key, or null
 * @param data the payload; not copied, do not modify
 * @param sequenceNumber the sequence number of the Kinesis record it came in
 * @param subSequenceNumber its index inside that record; 0 for a plain record
 * @param approximateArrivalTimestamp when Kinesis received the (parent) record, or null if unknown
 * @param aggregated true when it came out of a KPL aggregate
 */
public record KinesisUserRecord(String eventSourceArn, String shardId, String partitionKey,
                                String explicitHashKey, byte[] data, String sequenceNumber,
                                long subSequenceNumber, Instant approximateArrivalTimestamp,
                                boolean aggregated) {

    public KinesisUserRecord {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
    }

    /** The record's place in its shard. */
    public RecordPosition position() {
        return new RecordPosition(sequenceNumber, subSequenceNumber);
    }

    /** The payload decoded as UTF-8 text. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /**
     * The payload read as JSON into {@code type} with Jackson (unknown properties ignored).
     *
     * @throws IllegalStateException when jackson-databind is not on the classpath
     * @throws PayloadFormatException when the payload is not JSON of that type
     */
    public <T> T json(Class<T> type) {
        if (!jacksonPresent()) {
            throw new IllegalStateException("KinesisUserRecord.json needs Jackson: add "
                    + "com.fasterxml.jackson.core:jackson-databind to the function's dependencies");
        }
        try {
            return JsonPayload.read(data, type);
        } catch (java.io.IOException e) {
            throw new PayloadFormatException("record " + shardId + " " + position() + " (" + data.length
                    + " bytes) is not JSON of " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    private static boolean jacksonPresent() {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false,
                    KinesisUserRecord.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KinesisUserRecord r
                && subSequenceNumber == r.subSequenceNumber && aggregated == r.aggregated
                && Objects.equals(eventSourceArn, r.eventSourceArn) && Objects.equals(shardId, r.shardId)
                && Objects.equals(partitionKey, r.partitionKey)
                && Objects.equals(explicitHashKey, r.explicitHashKey) && Arrays.equals(data, r.data)
                && sequenceNumber.equals(r.sequenceNumber)
                && Objects.equals(approximateArrivalTimestamp, r.approximateArrivalTimestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shardId, partitionKey, sequenceNumber, subSequenceNumber, Arrays.hashCode(data));
    }

    /** Names the record without its payload (payloads never go to logs). */
    @Override
    public String toString() {
        return "KinesisUserRecord[" + shardId + " " + position() + ", partitionKey=" + partitionKey
                + ", " + data.length + " bytes" + (aggregated ? ", aggregated" : "") + "]";
    }
}
