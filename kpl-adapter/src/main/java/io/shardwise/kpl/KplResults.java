package io.shardwise.kpl;

import io.shardwise.producer.RecordExpiredException;
import io.shardwise.producer.RecordFailedException;
import io.shardwise.producer.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.kinesis.producer.Attempt;
import software.amazon.kinesis.producer.UserRecord;
import software.amazon.kinesis.producer.UserRecordFailedException;
import software.amazon.kinesis.producer.UserRecordResult;

/**
 * Turns the Shardwise producer's outcomes into the KPL's: a {@link SendResult} into a successful
 * {@link UserRecordResult}, a failure into a {@link UserRecordFailedException} whose result lists the
 * attempts, as the KPL reports them.
 */
final class KplResults {
    /** The KPL's error code for a record whose time to live ran out. */
    static final String EXPIRED = "Expired";

    private KplResults() {}

    /** A stored record: its attempts, sequence number and shard (the KPL has no sub-sequence number). */
    static UserRecordResult success(SendResult result, Instant addedAt) {
        return new UserRecordResult(attempts(result.attempts(), addedAt), result.sequenceNumber(), result.shardId(), true);
    }

    /**
     * A record that was not stored. Its attempts come from the producer's error; the KPL ends an expired
     * record's list with an {@code Expired} attempt, and so does this. A failure that made no attempt
     * (producer closed, buffer full) gets one failed attempt naming the error, so that code reading the
     * last attempt's error, as KPL users do, finds it.
     */
    static UserRecordFailedException failure(Throwable error, Instant addedAt, UserRecord record) {
        Throwable cause = unwrap(error);
        List<Attempt> attempts = new ArrayList<>();
        Instant lastEnd = addedAt;
        if (cause instanceof RecordFailedException failed) {
            attempts.addAll(attempts(failed.attempts(), addedAt));
            for (io.shardwise.producer.Attempt attempt : failed.attempts()) {
                lastEnd = attempt.startedAt().plus(attempt.duration());
            }
        }
        if (cause instanceof RecordExpiredException || attempts.isEmpty()) {
            String code = cause instanceof RecordExpiredException ? EXPIRED : cause.getClass().getSimpleName();
            attempts.add(new Attempt(millis(lastEnd, Instant.now()), 0, String.valueOf(cause.getMessage()), code, false));
        }
        UserRecordFailedException exception =
                new UserRecordFailedException(new UserRecordResult(attempts, null, null, false), record);
        exception.initCause(cause);
        return exception;
    }

    /**
     * The KPL's attempt: {@code delay} is the time from the end of the previous attempt (for the first,
     * from {@code addUserRecord}) to its start; {@code duration} the time of its request.
     */
    static List<Attempt> attempts(List<io.shardwise.producer.Attempt> attempts, Instant addedAt) {
        List<Attempt> mapped = new ArrayList<>(attempts.size());
        Instant previousEnd = addedAt;
        for (io.shardwise.producer.Attempt attempt : attempts) {
            mapped.add(new Attempt(millis(previousEnd, attempt.startedAt()), clamp(attempt.duration().toMillis()),
                    attempt.errorMessage(), attempt.errorCode(), attempt.succeeded()));
            previousEnd = attempt.startedAt().plus(attempt.duration());
        }
        return mapped;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static int millis(Instant from, Instant to) {
        return clamp(Duration.between(from, to).toMillis());
    }

    private static int clamp(long millis) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, millis));
    }
}
