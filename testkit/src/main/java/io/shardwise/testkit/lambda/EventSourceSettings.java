package io.shardwise.testkit.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The validated options of a {@link LocalEventSourceMapping}, as its poller reads them. The
 * handler takes a {@code KinesisEvent}, or a {@code KinesisTimeWindowEvent} when {@code
 * tumblingWindow} is set.
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

    boolean windowed() {
        return tumblingWindow != null;
    }
}
