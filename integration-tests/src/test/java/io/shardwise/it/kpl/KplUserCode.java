package io.shardwise.it.kpl;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import software.amazon.kinesis.producer.IKinesisProducer;
import software.amazon.kinesis.producer.UserRecord;
import software.amazon.kinesis.producer.UserRecordFailedException;
import software.amazon.kinesis.producer.UserRecordResult;

/**
 * Producer code as a KPL user writes it, against {@link IKinesisProducer} and nothing else: records
 * for several streams through one producer, a callback per record, {@code flushSync}, {@code destroy}.
 * It knows nothing of Shardwise.
 */
final class KplUserCode {
    /** What the callbacks saw. */
    record Outcome(List<UserRecordResult> successes, List<Throwable> failures, int outstandingAfterFlush,
            List<ListenableFuture<UserRecordResult>> futures) {}

    private KplUserCode() {}

    /** A hash key spread over the whole range, as code that places records itself would choose. */
    private static String explicitHashKey(int i) {
        return BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)
                .multiply(BigInteger.valueOf(i % 16)).divide(BigInteger.valueOf(15)).toString();
    }

    /**
     * Puts {@code perStream} records ("stream|i" as data, key "key-(i % keys)") into each stream, by
     * turns with a plain call, a {@link UserRecord} and an explicit hash key, then shuts down.
     */
    static Outcome putAll(IKinesisProducer kinesis, List<String> streams, int perStream, int keys) {
        ConcurrentLinkedQueue<UserRecordResult> successes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        FutureCallback<UserRecordResult> callback = new FutureCallback<>() {
            @Override
            public void onSuccess(UserRecordResult result) {
                successes.add(result);
            }

            @Override
            public void onFailure(Throwable t) {
                if (t instanceof UserRecordFailedException failed) {
                    // The KPL idiom: the last attempt says why.
                    var attempts = failed.getResult().getAttempts();
                    var last = attempts.get(attempts.size() - 1);
                    failures.add(new IllegalStateException(last.getErrorCode() + ": " + last.getErrorMessage(), t));
                } else {
                    failures.add(t);
                }
            }
        };
        List<ListenableFuture<UserRecordResult>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < perStream; i++) {
                for (String stream : streams) {
                    ByteBuffer data = ByteBuffer.wrap((stream + "|" + i).getBytes(StandardCharsets.UTF_8));
                    String key = "key-" + (i % keys);
                    // The three ways KPL code adds a record.
                    ListenableFuture<UserRecordResult> future = switch (i % 3) {
                        case 0 -> kinesis.addUserRecord(stream, key, data);
                        case 1 -> kinesis.addUserRecord(new UserRecord(stream, key, data));
                        default -> kinesis.addUserRecord(stream, key, explicitHashKey(i), data);
                    };
                    Futures.addCallback(future, callback, MoreExecutors.directExecutor());
                    futures.add(future);
                }
            }
            kinesis.flushSync();
            return new Outcome(List.copyOf(successes), List.copyOf(failures), kinesis.getOutstandingRecordsCount(),
                    futures);
        } finally {
            kinesis.destroy();
        }
    }
}
