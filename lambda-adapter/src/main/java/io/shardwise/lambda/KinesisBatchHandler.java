package io.shardwise.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.Objects;

/**
 * Base of a Lambda function for a Kinesis event source mapping with {@code
 * FunctionResponseTypes=ReportBatchItemFailures}. Extend it and implement {@link #handleRecord}:
 * it is called once per user record (KPL aggregates are deaggregated), in order.
 *
 * <pre>{@code
 * public class Handler extends KinesisBatchHandler {
 *     protected void handleRecord(KinesisUserRecord record, Context context) {
 *         store(record.partitionKey(), record.text());
 *     }
 * }
 * }</pre>
 *
 * <p>Or wrap a function: {@code KinesisBatchHandler.forEachRecord((record, context) -> ...)}.
 * See {@link KinesisBatchProcessor} for failure modes and what a replay of an aggregate does.
 */
public abstract class KinesisBatchHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    private final KinesisBatchProcessor processor;
    /** An inner class, not a method reference: no invokedynamic bootstrap on the first invocation. */
    private final UserRecordHandler recordHandler = new UserRecordHandler() {
        @Override
        public void handle(KinesisUserRecord record, Context context) throws Exception {
            handleRecord(record, context);
        }
    };

    /** Stops at the first failure, without a progress store. */
    protected KinesisBatchHandler() {
        this(KinesisBatchProcessor.builder().build());
    }

    protected KinesisBatchHandler(KinesisBatchProcessor processor) {
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    /** A handler that runs {@code handler} for each user record, with default options. */
    public static RequestHandler<KinesisEvent, StreamsEventResponse> forEachRecord(UserRecordHandler handler) {
        return forEachRecord(handler, KinesisBatchProcessor.builder().build());
    }

    /** A handler that runs {@code handler} for each user record with the processor's options. */
    public static RequestHandler<KinesisEvent, StreamsEventResponse> forEachRecord(UserRecordHandler handler,
                                                                               KinesisBatchProcessor processor) {
        Objects.requireNonNull(handler, "handler");
        return new KinesisBatchHandler(processor) {
            @Override
            protected void handleRecord(KinesisUserRecord record, Context context) throws Exception {
                handler.handle(record, context);
            }
        };
    }

    @Override
    public final StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        return processor.process(event, context, recordHandler);
    }

    /**
     * Processes one user record. Throw to report it failed: its parent's sequence number goes
     * into the response and, by default, nothing after it runs in this invocation.
     */
    protected abstract void handleRecord(KinesisUserRecord record, Context context) throws Exception;
}
