package io.shardwise.testkit.lambda;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * What went wrong in a mapping, for {@code awaitIdle} to report: the latest error of polling or of
 * starting an invocation (a runtime exception, cleared by the next clean polling round), and an
 * error that stopped the mapping for good.
 */
final class EventSourceErrors {

    private volatile RuntimeException last;
    private volatile Throwable fatal;

    /** Notes an error: a runtime exception is retried, anything else stops the mapping. */
    void record(Throwable error) {
        if (error instanceof RuntimeException runtime) {
            last = runtime;
        } else {
            fatal = error;
        }
    }

    /** A polling round went through: the last error is over. */
    void clear() {
        last = null;
    }

    /** Throws when an error stopped the mapping for good. */
    void throwIfStopped() {
        Throwable stopped = fatal;
        if (stopped != null) {
            throw new IllegalStateException("the local event source mapping stopped", stopped);
        }
    }

    /** The exception of an {@code awaitIdle} that waited in vain, naming the last error if any. */
    TimeoutException notIdle(Duration timeout, long invocations) {
        RuntimeException error = last;
        return new TimeoutException("the local event source mapping was not idle after " + timeout
                + " (" + invocations + " invocations so far"
                + (error == null ? "" : "; last polling error: " + error) + ")");
    }
}
