package io.shardwise.testkit.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The validated options of a {@link LocalEventSourceMapping}, as its poller reads them. The
 * handler takes a {@code KinesisEvent}, or a {@code KinesisTimeWindowEvent} when {@code
 * tumblingWindow} is set. The two callbacks log what they throw instead: a callback that throws
 * must not corrupt a shard's state.
 */
record EventSourceSettings(KinesisClient kinesis, String streamArn, String streamName, String region,
                           RequestHandler<?, ?> handler, int batchSize, Duration batchingWindow,
                           LocalEventSourceMapping.StartingPosition startingPosition,
                           Instant startingPositionTimestamp, boolean reportBatchItemFailures,
                           boolean bisectBatchOnFunctionError, int maximumRetryAttempts, Duration maximumRecordAge,
                           Consumer<LocalEventSourceMapping.DiscardedBatch> onFailure,
                           Consumer<LocalEventSourceMapping.Invocation> invocationListener,
                           String invokeIdentityArn, String functionName, Duration functionTimeout,
                           Duration pollInterval, int parallelizationFactor, Duration tumblingWindow) {

    private static final Logger LOG = LoggerFactory.getLogger(EventSourceSettings.class);

    EventSourceSettings {
        onFailure = loggingWhatItThrows(onFailure);
        invocationListener = loggingWhatItThrows(invocationListener);
    }

    private static <T> Consumer<T> loggingWhatItThrows(Consumer<T> callback) {
        return value -> {
            try {
                callback.accept(value);
            } catch (RuntimeException e) {
                LOG.warn("a local event source mapping callback threw on {}", value, e);
            }
        };
    }

    boolean windowed() {
        return tumblingWindow != null;
    }
}
