package io.shardwise.consumer;

import java.util.function.BiFunction;

/**
 * Creates one processor per shard lease this worker starts. A multi-stream consumer calls
 * {@link #create(String, StreamIdentifier)}, which tells the stream of the shard; by default it
 * calls {@link #create(String)}, so a factory that does not care about streams works in both modes.
 */
@FunctionalInterface
public interface RecordProcessorFactory {
    RecordProcessor create(String shardId);

    /** For a shard of a multi-stream consumer: {@code stream} is the shard's stream. */
    default RecordProcessor create(String shardId, StreamIdentifier stream) {
        return create(shardId);
    }

    /**
     * A factory told the stream of each shard. In a single-stream consumer {@code factory} is called
     * with a null stream.
     */
    static RecordProcessorFactory perStream(BiFunction<StreamIdentifier, String, RecordProcessor> factory) {
        return new RecordProcessorFactory() {
            @Override
            public RecordProcessor create(String shardId) {
                return factory.apply(null, shardId);
            }

            @Override
            public RecordProcessor create(String shardId, StreamIdentifier stream) {
                return factory.apply(stream, shardId);
            }
        };
    }
}
