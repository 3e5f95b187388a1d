package io.shardwise.kcl;

import io.shardwise.consumer.RecordProcessor;
import io.shardwise.consumer.RecordProcessorFactory;
import java.util.Objects;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/**
 * Runs processors written for the KCL 3.x on {@code ShardwiseConsumer}, unchanged:
 *
 * <pre>{@code
 * ShardwiseConsumer.builder()
 *         .applicationName("orders-app")
 *         .streamName("orders")
 *         .processorFactory(KclProcessors.adapt(OrdersProcessor::new))
 *         .build();
 * }</pre>
 *
 * Each shard gets its own {@code ShardRecordProcessor} from the factory, as under the KCL.
 */
public final class KclProcessors {
    private KclProcessors() {
    }

    /**
     * Adapts a factory. A single-stream consumer asks it with {@code shardRecordProcessor()}; a
     * multi-stream consumer ({@code streamTracker}) with {@code shardRecordProcessor(StreamIdentifier)}
     * and the multi-stream identifier of the shard's stream, as the KCL asks it in multi-stream mode.
     */
    public static RecordProcessorFactory adapt(ShardRecordProcessorFactory factory) {
        Objects.requireNonNull(factory, "factory");
        return new RecordProcessorFactory() {
            @Override
            public RecordProcessor create(String shardId) {
                return new KclRecordProcessor(factory.shardRecordProcessor());
            }

            @Override
            public RecordProcessor create(String shardId, io.shardwise.consumer.StreamIdentifier stream) {
                return new KclRecordProcessor(factory.shardRecordProcessor(
                        StreamIdentifier.multiStreamInstance(stream.serialize())));
            }
        };
    }

    /**
     * Adapts a factory that overrides {@code shardRecordProcessor(StreamIdentifier)}: it is asked with the
     * single-stream identifier of {@code streamName}, as the KCL asks it.
     */
    public static RecordProcessorFactory adapt(ShardRecordProcessorFactory factory, String streamName) {
        Objects.requireNonNull(factory, "factory");
        StreamIdentifier stream = StreamIdentifier.singleStreamInstance(
                Objects.requireNonNull(streamName, "streamName"));
        return shardId -> new KclRecordProcessor(factory.shardRecordProcessor(stream));
    }
}
