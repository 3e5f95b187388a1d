package io.shardwise.testkit.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Runs a Lambda handler against a Kinesis stream the way a Lambda event source mapping does, on
 * the local engines or on AWS: polls each shard with GetRecords, builds the event JSON exactly as
 * Lambda does (base64 data, {@code eventID} = {@code shardId:sequenceNumber}, {@code
 * eventSourceARN}, {@code eventName} {@code aws:kinesis:record}, arrival times in epoch seconds),
 * deserializes it for the handler and serializes the handler's answer with
 * aws-lambda-java-serialization (the Java runtime's own serializers), parents before children after
 * a reshard.
 *
 * <pre>{@code
 * try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, streamArn, new MyHandler())
 *         .batchSize(100).reportBatchItemFailures(true).maximumRetryAttempts(3)
 *         .parallelizationFactor(4).onFailure(discarded -> ...).start()) {
 *     ... put records ...
 *     mapping.awaitIdle(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>Checkpoint semantics as Lambda's: a batch that succeeds moves the shard past it; with
 * {@link Builder#reportBatchItemFailures} the mapping resumes from the lowest reported sequence
 * number (an empty list or null means success; an empty or unknown identifier fails the whole
 * batch); a function error (the handler throws) retries the batch, split in halves first when
 * {@link Builder#bisectBatchOnFunctionError} is on (splits do not count as retries). A batch that
 * failed more than {@link Builder#maximumRetryAttempts} retries, or records older than {@link
 * Builder#maximumRecordAge}, are discarded and handed to {@link Builder#onFailure} (and listed by
 * {@link #discardedBatches()}, the on-failure destination). Retries follow at once (Lambda backs
 * off). The function timeout only sets the context's remaining time.
 *
 * <p><b>ParallelizationFactor.</b> With {@link Builder#parallelizationFactor} N, up to N batches
 * of one shard run at the same time: each partition key belongs to one of N lanes (by the key's
 * hash), a lane has one batch in flight and keeps its records in order, so every key is delivered
 * in order, one batch at a time, while the sequence numbers of concurrent batches interleave.
 * Retries, bisection and discards apply per lane. With N = 1 (the default) one worker invokes the
 * handler, one batch at a time across all shards; above 1, invocations run concurrently on worker
 * threads, and the handler, the callbacks and the listener must be thread-safe.
 *
 * <p><b>Tumbling windows.</b> {@link #builderWithTumblingWindow} runs a {@code
 * RequestHandler<KinesisTimeWindowEvent, ?>}: windows are aligned to the epoch and a record belongs
 * to the window of its arrival time; a batch holds one window's records; the state of each
 * response is passed to the window's next invocation (also after a partial failure, to the retry);
 * a response without {@code state} fails the invocation. Once a record of a later window is next,
 * or the window's end has passed and a poll after it found the shard caught up (or the shard
 * ended), the window gets a final invocation with no records, {@code isFinalInvokeForWindow} true
 * and the final state, retried until it succeeds. {@code isWindowTerminatedEarly} is always false
 * (the 1 MB state limit is not simulated), and windows need ParallelizationFactor 1 here.
 */
public final class LocalEventSourceMapping implements AutoCloseable {

    /** Where a shard present at start begins; shards that appear later begin at the trim horizon. */
    public enum StartingPosition { TRIM_HORIZON, LATEST, AT_TIMESTAMP }

    /** Why records were given up. */
    public enum DiscardReason { RETRIES_EXHAUSTED, RECORD_AGE_EXCEEDED }

    /**
     * Records the mapping gave up, as Lambda describes them to an on-failure destination.
     *
     * @param retryAttempts failed attempts at the batch's first record before giving up
     * @param lastError the function error or the reported failure that ended it
     */
    public record DiscardedBatch(String streamArn, String shardId, String startSequenceNumber,
                                 String endSequenceNumber, int batchSize, Instant approximateArrivalOfFirstRecord,
                                 Instant approximateArrivalOfLastRecord, DiscardReason reason, int retryAttempts,
                                 String lastError) {
    }

    /**
     * One invocation, as the mapping saw it.
     *
     * @param sequenceNumbers the batch, in order
     * @param eventJson the event as sent
     * @param responseJson the handler's answer as serialized, null when it threw
     * @param error what the handler threw, or null
     * @param reportedFailures the item identifiers read from the response (when batch item
     *     failures are reported and valid), else empty
     */
    public record Invocation(String shardId, List<String> sequenceNumbers, String eventJson, String responseJson,
                             Throwable error, List<String> reportedFailures) {
    }

    private final EventSourceErrors errors = new EventSourceErrors();
    private final EventSourceShards shards;
    private final EventSourceOutcomes outcomes;
    private final EventSourceInvoker invoker;
    private final EventSourcePoller poller;
    private final Thread thread;

    /** Wires the data path: shards, read into lanes, invoked on workers, outcomes move the lanes. */
    private LocalEventSourceMapping(EventSourceSettings settings) {
        shards = new EventSourceShards(settings);
        outcomes = new EventSourceOutcomes(settings);
        invoker = new EventSourceInvoker(settings, outcomes, errors);
        poller = new EventSourcePoller(settings, shards, invoker, errors);
        thread = new Thread(poller, "local-event-source-mapping-" + settings.streamName());
        thread.setDaemon(true);
    }

    /**
     * A builder for a mapping from the stream to the handler.
     *
     * @param kinesis the client to poll with (local engines or AWS)
     * @param streamArn {@code arn:aws:kinesis:REGION:ACCOUNT:stream/NAME}
     * @param handler the function's handler, any {@code RequestHandler<KinesisEvent, ?>}
     */
    public static Builder builder(KinesisClient kinesis, String streamArn, RequestHandler<KinesisEvent, ?> handler) {
        return new Builder(kinesis, streamArn, handler, null);
    }

    /**
     * A builder for a mapping with a tumbling window ({@code TumblingWindowInSeconds}) to a
     * handler of {@code KinesisTimeWindowEvent}s, such as a {@code KinesisWindowHandler}.
     *
     * @param window the window's length, positive and at most 900 s (Lambda takes whole seconds)
     */
    public static Builder builderWithTumblingWindow(KinesisClient kinesis, String streamArn, Duration window,
                                                    RequestHandler<KinesisTimeWindowEvent, ?> handler) {
        if (window == null || window.isNegative() || window.isZero() || window.compareTo(Duration.ofSeconds(900)) > 0) {
            throw new IllegalArgumentException("the tumbling window must be positive and at most 900 s, was " + window);
        }
        return new Builder(kinesis, streamArn, handler, window);
    }

    /**
     * Waits until every shard has been polled, after this call began, with nothing left to
     * deliver (records put before the call have then reached the handler, or been discarded).
     *
     * @throws TimeoutException when that did not happen within {@code timeout}
     */
    public void awaitIdle(Duration timeout) throws TimeoutException, InterruptedException {
        long since = System.nanoTime();
        long deadline = since + timeout.toNanos();
        while (!shards.idleSince(since)) {
            errors.throwIfStopped();
            if (System.nanoTime() - deadline > 0) {
                throw errors.notIdle(timeout, invoker.invocationCount());
            }
            Thread.sleep(25);
        }
    }

    /** Every batch given up so far (retries exhausted or records too old), as an on-failure destination holds them. */
    public List<DiscardedBatch> discardedBatches() {
        return outcomes.discarded();
    }

    /** How many times the handler was invoked. */
    public long invocationCount() {
        return invoker.invocationCount();
    }

    /** Stops polling; waits for invocations in progress to end. */
    @Override
    public void close() {
        poller.stop();
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
            invoker.shutdown(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LocalEventSourceMapping startThread() {
        thread.start();
        return this;
    }

    /** Options of a {@link LocalEventSourceMapping}; defaults are Lambda's unless noted. */
    public static final class Builder {
        private final KinesisClient kinesis;
        private final String streamArn;
        private final String streamName;
        private final RequestHandler<?, ?> handler;
        private final Duration tumblingWindow;
        private int parallelizationFactor = 1;
        private String region;
        private int batchSize = 100;
        private Duration batchingWindow = Duration.ZERO;
        private StartingPosition startingPosition = StartingPosition.TRIM_HORIZON;
        private Instant startingPositionTimestamp;
        private boolean reportBatchItemFailures;
        private boolean bisectBatchOnFunctionError;
        private int maximumRetryAttempts = -1;
        private Duration maximumRecordAge;
        private Consumer<DiscardedBatch> onFailure = discarded -> { };
        private Consumer<Invocation> invocationListener = invocation -> { };
        private String invokeIdentityArn = "arn:aws:iam::000000000000:role/shardwise-local-function";
        private String functionName = "shardwise-local-function";
        private Duration functionTimeout = Duration.ofMinutes(1);
        private Duration pollInterval = Duration.ofMillis(200);

        private Builder(KinesisClient kinesis, String streamArn, RequestHandler<?, ?> handler, Duration tumblingWindow) {
            this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
            this.handler = Objects.requireNonNull(handler, "handler");
            this.tumblingWindow = tumblingWindow;
            String[] arn = Objects.requireNonNull(streamArn, "streamArn").split(":", 6);
            if (arn.length != 6 || !arn[0].equals("arn") || !arn[2].equals("kinesis") || !arn[5].startsWith("stream/")
                    || arn[5].length() == "stream/".length()) {
                throw new IllegalArgumentException("streamArn must look like arn:aws:kinesis:REGION:ACCOUNT:stream/NAME, was '"
                        + streamArn + "'");
            }
            this.streamArn = streamArn;
            this.streamName = arn[5].substring("stream/".length());
            this.region = arn[3];
        }

        /** Records per invocation at most, 1 to 10,000; default 100. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be 1 to 10000, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** How long to gather records before invoking with fewer than a full batch, 0 to 300 s; default 0. */
        public Builder batchingWindow(Duration window) {
            if (window == null || window.isNegative() || window.compareTo(Duration.ofSeconds(300)) > 0) {
                throw new IllegalArgumentException("batchingWindow must be 0 to 300 s, was " + window);
            }
            this.batchingWindow = window;
            return this;
        }

        /** Where shards present at start begin; default TRIM_HORIZON (Lambda requires a choice). */
        public Builder startingPosition(StartingPosition position) {
            this.startingPosition = Objects.requireNonNull(position, "position");
            return this;
        }

        /** Begins shards present at start at the first record at or after {@code timestamp}. */
        public Builder startingPositionTimestamp(Instant timestamp) {
            this.startingPosition = StartingPosition.AT_TIMESTAMP;
            this.startingPositionTimestamp = Objects.requireNonNull(timestamp, "timestamp");
            return this;
        }

        /** Reads partial batch responses ({@code FunctionResponseTypes=ReportBatchItemFailures}); default off. */
        public Builder reportBatchItemFailures(boolean report) {
            this.reportBatchItemFailures = report;
            return this;
        }

        /**
         * How many batches of one shard run at the same time, 1 to 10; default 1. Records of one
         * partition key stay in one batch at a time, in order.
         */
        public Builder parallelizationFactor(int factor) {
            if (factor < 1 || factor > 10) {
                throw new IllegalArgumentException("parallelizationFactor must be 1 to 10, was " + factor);
            }
            this.parallelizationFactor = factor;
            return this;
        }

        /** Splits a batch in halves after a function error; default off. */
        public Builder bisectBatchOnFunctionError(boolean bisect) {
            this.bisectBatchOnFunctionError = bisect;
            return this;
        }

        /** Retries of a failing batch before it is discarded, 0 to 10,000, or -1 for no limit (default). */
        public Builder maximumRetryAttempts(int attempts) {
            if (attempts < -1 || attempts > 10_000) {
                throw new IllegalArgumentException("maximumRetryAttempts must be -1 to 10000, was " + attempts);
            }
            this.maximumRetryAttempts = attempts;
            return this;
        }

        /**
         * Records older than this (by arrival time) are discarded before invoking; null for no
         * limit (default). Lambda allows 60 s to 7 days; any positive age is accepted here.
         */
        public Builder maximumRecordAge(Duration age) {
            if (age != null && (age.isNegative() || age.isZero())) {
                throw new IllegalArgumentException("maximumRecordAge must be positive or null, was " + age);
            }
            this.maximumRecordAge = age;
            return this;
        }

        /**
         * Told about every discarded batch (Lambda's on-failure destination); default ignores.
         * {@link LocalEventSourceMapping#discardedBatches()} lists them as well.
         */
        public Builder onFailure(Consumer<DiscardedBatch> onFailure) {
            this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
            return this;
        }

        /** Told about every invocation after it ended, on the thread that invoked; default ignores. */
        public Builder invocationListener(Consumer<Invocation> listener) {
            this.invocationListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The region written into events; default the stream ARN's. */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** The role ARN written into events as {@code invokeIdentityArn}. */
        public Builder invokeIdentityArn(String arn) {
            this.invokeIdentityArn = Objects.requireNonNull(arn, "arn");
            return this;
        }

        /** The function name the context reports. */
        public Builder functionName(String name) {
            this.functionName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The function timeout behind {@code Context.getRemainingTimeInMillis()}; default 1 min. */
        public Builder functionTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("functionTimeout must be positive, was " + timeout);
            }
            this.functionTimeout = timeout;
            return this;
        }

        /** Pause between GetRecords calls on a shard that had nothing new; default 200 ms (5 calls/s/shard). */
        public Builder pollInterval(Duration interval) {
            if (interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("pollInterval must be zero or positive, was " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /** Starts polling on a daemon thread; {@link #close()} stops it. */
        public LocalEventSourceMapping start() {
            if (startingPosition == StartingPosition.AT_TIMESTAMP && startingPositionTimestamp == null) {
                throw new IllegalArgumentException("startingPosition AT_TIMESTAMP needs startingPositionTimestamp(Instant)");
            }
            if (tumblingWindow != null && parallelizationFactor > 1) {
                throw new IllegalArgumentException("the local mapping runs tumbling windows with parallelizationFactor 1"
                        + " only, was " + parallelizationFactor + ": drop one of the two options");
            }
            return new LocalEventSourceMapping(new EventSourceSettings(kinesis, streamArn, streamName, region, handler,
                    batchSize, batchingWindow, startingPosition, startingPositionTimestamp, reportBatchItemFailures,
                    bisectBatchOnFunctionError, maximumRetryAttempts, maximumRecordAge, onFailure, invocationListener,
                    invokeIdentityArn, functionName, functionTimeout, pollInterval, parallelizationFactor,
                    tumblingWindow)).startThread();
        }
    }
}
