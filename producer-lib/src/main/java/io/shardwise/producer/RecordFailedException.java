package io.shardwise.producer;

import java.util.List;

/**
 * A record could not be stored: either Kinesis gave an error that retrying cannot fix (access denied,
 * stream not found, invalid argument), or its time to live ran out while retrying
 * ({@link RecordExpiredException}). The attempts say what happened each time.
 */
public class RecordFailedException extends ProducerException {
    private final List<Attempt> attempts;

    RecordFailedException(String message, List<Attempt> attempts, Throwable cause) {
        super(message + describe(attempts), cause);
        this.attempts = List.copyOf(attempts);
    }

    /** Every attempt made, oldest first. */
    public List<Attempt> attempts() {
        return attempts;
    }

    private static String describe(List<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return "; no attempt was made";
        }
        StringBuilder text = new StringBuilder("; ").append(attempts.size()).append(" attempt(s):");
        for (Attempt attempt : attempts) {
            text.append("\n  ").append(attempt);
        }
        return text.toString();
    }
}
