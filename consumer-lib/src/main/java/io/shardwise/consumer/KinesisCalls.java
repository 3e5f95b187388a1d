package io.shardwise.consumer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/**
 * How the consumer waits for Kinesis calls. Every call carries an API call timeout, on the consumer's
 * own clients and on clients the user gave alike, so no call hangs a shard thread for the SDK's
 * default of no limit; and a shard thread waits for a call only while its lease holds: a stop ends the
 * wait at once and abandons the call, whatever it answers later.
 */
final class KinesisCalls {
    /** Longer than any healthy GetRecords (10 MiB) or ListShards page, far below a lease's failover time x 10. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    /** Thrown by {@link #await(CompletableFuture, StopSignal)} when the stop fired during the wait. */
    static final class StoppedWhileWaiting extends RuntimeException {
        StoppedWhileWaiting() {
            super("stopped while waiting for a Kinesis call", null, false, false);
        }
    }

    private KinesisCalls() {
    }

    /** The override every consumer call to Kinesis carries. */
    static void timeout(AwsRequestOverrideConfiguration.Builder config) {
        config.apiCallTimeout(CALL_TIMEOUT);
    }

    /** Waits for a call (its timeout ends it) and unwraps the SDK's exception. */
    static <T> T await(CompletableFuture<T> call) {
        return await(call, null);
    }

    /** Like {@link #await(CompletableFuture)}, but gives the call up as soon as {@code stop} fires. */
    static <T> T await(CompletableFuture<T> call, StopSignal stop) {
        try {
            while (true) {
                if (stop != null && stop.stopped()) {
                    call.cancel(true);
                    throw new StoppedWhileWaiting();
                }
                try {
                    return call.get(stop == null ? Long.MAX_VALUE : 50, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    // look at the stop signal again
                }
            }
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new IllegalStateException("interrupted", e);
        }
    }
}
