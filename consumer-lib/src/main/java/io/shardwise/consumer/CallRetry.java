package io.shardwise.consumer;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.shardwise.kinesis.AwsErrorClassifier;
import io.shardwise.kinesis.RetryIntervals;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The consumer's one retry policy for its DynamoDB and Kinesis control-plane calls: exponential
 * backoff with full jitter ({@link RetryIntervals}), through resilience4j-retry. The clients the
 * consumer builds have the SDK's own retries off, so the two never stack.
 *
 * <p>Retried: what {@link AwsErrorClassifier} calls throttled or retriable (throttling, 5xx answers,
 * client-side failures such as timeouts and lost connections). A
 * retried conditional write may have landed although its answer was lost; the lease table resolves
 * that case by reading the item (see {@code LeaseTable}).
 */
final class CallRetry {
    private static final IntervalFunction INTERVALS =
            RetryIntervals.exponentialFullJitter(Duration.ofMillis(50), Duration.ofSeconds(1));

    private final Retry bounded;
    private final String name;

    /** @param attempts attempts of each call made through {@link #call(Supplier)} */
    CallRetry(String name, int attempts) {
        this.name = name;
        this.bounded = Retry.of(name, config(attempts, () -> true));
    }

    /** Runs a call, retrying retriable failures up to this policy's attempts. */
    <T> T call(Supplier<T> call) {
        return bounded.executeSupplier(call);
    }

    /** Runs a call, retrying retriable failures for as long as {@code keepTrying} says so. */
    <T> T callWhile(BooleanSupplier keepTrying, Supplier<T> call) {
        return Retry.of(name, config(Integer.MAX_VALUE, keepTrying)).executeSupplier(call);
    }

    private static RetryConfig config(int attempts, BooleanSupplier keepTrying) {
        return RetryConfig.custom()
                .maxAttempts(attempts)
                .intervalFunction(INTERVALS)
                .retryOnException(e -> AwsErrorClassifier.retriable(e) && keepTrying.getAsBoolean())
                .failAfterMaxAttempts(false)
                .build();
    }
}
