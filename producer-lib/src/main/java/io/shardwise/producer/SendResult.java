package io.shardwise.producer;

import java.util.List;

/**
 * Where a user record was stored.
 *
 * @param shardId the shard Kinesis stored the record in
 * @param sequenceNumber the sequence number of the Kinesis record that carries it
 * @param subSequenceNumber its place inside that Kinesis record when aggregated (0 for a plain record)
 * @param attempts every attempt made, the last one being the success
 */
public record SendResult(String shardId, String sequenceNumber, long subSequenceNumber, List<Attempt> attempts) {
    public SendResult {
        attempts = List.copyOf(attempts);
    }
}
