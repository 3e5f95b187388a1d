package io.shardwise.testkit;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** The validated options of a {@link LocalEventSourceMapping}, as its poller reads them. */
record EventSourceSettings(KinesisClient kinesis, String streamArn, String streamName, String region,
                           RequestHandler<KinesisEvent, ?> handler, int batchSize, Duration batchingWindow,
                           LocalEventSourceMapping.StartingPosition startingPosition,
                           Instant startingPositionTimestamp, boolean reportBatchItemFailures,
                           boolean bisectBatchOnFunctionError, int maximumRetryAttempts, Duration maximumRecordAge,
                           Consumer<LocalEventSourceMapping.DiscardedBatch> onFailure,
                           Consumer<LocalEventSourceMapping.Invocation> invocationListener,
                           String invokeIdentityArn, String functionName, Duration functionTimeout,
                           Duration pollInterval) {
}
