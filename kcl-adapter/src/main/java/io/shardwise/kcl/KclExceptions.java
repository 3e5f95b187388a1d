package io.shardwise.kcl;

import io.shardwise.consumer.CheckpointException;
import io.shardwise.consumer.LeaseLostException;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;

/**
 * Turns Shardwise's checkpoint failures into what a KCL processor expects to catch:
 * <ul>
 *   <li>{@link LeaseLostException}: {@link ShutdownException}, as the KCL answers a worker that no
 *       longer holds the lease;</li>
 *   <li>any other {@link CheckpointException} (a position behind the stored checkpoint, beyond the
 *       last delivered record, SHARD_END before the end): {@link IllegalArgumentException}, the KCL's
 *       answer to a position outside the permitted range;</li>
 *   <li>anything else (a table that kept failing): {@link KinesisClientLibDependencyException}.</li>
 * </ul>
 * No {@code ThrottlingException} ever reaches the processor: Shardwise retries a throttled checkpoint
 * itself for as long as the lease is held.
 */
final class KclExceptions {
    private KclExceptions() {
    }

    /** A checkpoint call that may fail with Shardwise's unchecked exceptions. */
    @FunctionalInterface
    interface CheckpointCall<T> {
        T run();
    }

    static <T> T translate(CheckpointCall<T> call) throws KinesisClientLibDependencyException, ShutdownException {
        try {
            return call.run();
        } catch (LeaseLostException lost) {
            throw new ShutdownException(lost.getMessage(), lost);
        } catch (CheckpointException refused) {
            throw new IllegalArgumentException(refused.getMessage(), refused);
        } catch (IllegalArgumentException invalid) {
            throw invalid;
        } catch (RuntimeException failed) {
            throw new KinesisClientLibDependencyException("checkpoint failed: " + failed
                    + "; the lease is still held, so the call may be retried", failed);
        }
    }

    /** For callers that already declare {@link KinesisClientLibException}. */
    static void run(Runnable call) throws KinesisClientLibDependencyException, ShutdownException {
        translate(() -> {
            call.run();
            return null;
        });
    }
}
