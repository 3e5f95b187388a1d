package io.shardwise.testkit.lambda;

/**
 * What went wrong in a mapping, for {@code awaitIdle} to report: the latest error of polling or of
 * starting an invocation (cleared by the next clean polling round), and what stopped the mapping
 * for good.
 */
final class EventSourceErrors {

    private volatile RuntimeException last;
    private volatile Throwable fatal;

    void failed(RuntimeException error) {
        last = error;
    }

    void cleared() {
        last = null;
    }

    void stopped(Throwable error) {
        fatal = error;
    }

    /** The latest error since the last clean polling round, or null. */
    RuntimeException last() {
        return last;
    }

    /** What stopped the mapping for good, or null. */
    Throwable fatal() {
        return fatal;
    }
}
