package io.shardwise.consumer;

/** A checkpoint could not be written: it is not forward, or not a position of this shard, or the write failed. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
