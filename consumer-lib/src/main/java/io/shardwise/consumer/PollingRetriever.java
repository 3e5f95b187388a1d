package io.shardwise.consumer;

import io.shardwise.kinesis.StreamReference;
import io.shardwise.kinesis.StreamRequests;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * GetRecords polling of one shard. Re-polls at once (after the minimum spacing) while the shard is
 * behind, backs off while idle, paces itself to the read limits, resumes after the last sequence
 * number read when an iterator expires, and backs off with jitter on throttling and errors.
 */
final class PollingRetriever implements Retriever {
    private static final Logger log = LoggerFactory.getLogger(PollingRetriever.class);

    private final KinesisAsyncClient kinesis;
    private final StreamReference stream;
    private final String shardId;
    private final Checkpoint start;
    private final Instant atTimestamp;
    private final PollingSettings settings;
    private final StopSignal stop;
    private final Backoff errorBackoff;
    private String iterator;
    private String lastSequenceNumber;
    private long nextCallNanos;
    private long idleMillis;

    PollingRetriever(KinesisAsyncClient kinesis, StreamReference stream, String shardId, Checkpoint start,
                     Instant atTimestamp, PollingSettings settings, StopSignal stop) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.shardId = shardId;
        this.start = start;
        this.atTimestamp = atTimestamp;
        this.settings = settings;
        this.stop = stop;
        this.errorBackoff = new Backoff(settings.throttleBackoffBase(), settings.throttleBackoffCap());
        this.idleMillis = settings.idleInterval().toMillis();
    }

    @Override
    public RecordBatch next() {
        while (!stop.stopped()) {
            // Rounded up: a call never comes before its scheduled time (the 5 calls/s limit is tight).
            long waitMillis = (nextCallNanos - System.nanoTime() + 999_999L) / 1_000_000L;
            if (waitMillis > 0 && !stop.sleep(waitMillis)) {
                return null;
            }
            long callStart = System.nanoTime();
            try {
                if (iterator == null) {
                    iterator = KinesisCalls.await(kinesis.getShardIterator(iteratorRequest()), stop).shardIterator();
                }
                String current = iterator;
                GetRecordsResponse response = KinesisCalls.await(kinesis.getRecords(b -> b.shardIterator(current)
                        .limit(settings.maxRecords()).overrideConfiguration(KinesisCalls::timeout)), stop);
                errorBackoff.reset();
                iterator = response.nextShardIterator();
                long bytes = 0;
                for (Record r : response.records()) {
                    bytes += r.data().asByteArrayUnsafe().length;
                }
                if (!response.records().isEmpty()) {
                    lastSequenceNumber = response.records().get(response.records().size() - 1).sequenceNumber();
                }
                long behind = response.millisBehindLatest() == null ? 0 : response.millisBehindLatest();
                schedule(callStart, response.records().isEmpty(), behind, bytes);
                if (iterator == null) {
                    return new RecordBatch(response.records(), behind,
                            response.hasChildShards() ? response.childShards() : java.util.List.of());
                }
                return new RecordBatch(response.records(), behind, null);
            } catch (KinesisCalls.StoppedWhileWaiting stopped) {
                return null;
            } catch (ResourceNotFoundException gone) {
                // As the KCL does: a shard that no longer exists has ended; its lease is finished.
                return RecordBatch.shardGone();
            } catch (ExpiredIteratorException expired) {
                log.info("Iterator of {} expired; resuming after {}", shardId, lastSequenceNumber);
                iterator = null;
            } catch (ProvisionedThroughputExceededException | LimitExceededException | KmsThrottlingException throttled) {
                long delay = errorBackoff.nextDelayMillis();
                log.debug("Reads of {} throttled; backing off {} ms", shardId, delay);
                nextCallNanos = System.nanoTime() + delay * 1_000_000L;
            } catch (RuntimeException error) {
                long delay = errorBackoff.nextDelayMillis();
                log.warn("Reading {} failed ({}); retrying in {} ms", shardId, error.toString(), delay);
                nextCallNanos = System.nanoTime() + delay * 1_000_000L;
                if (errorBackoff.attempts() > 3) {
                    iterator = null;
                }
            }
        }
        return null;
    }

    /** Busy shard: next call after the minimum spacing (and the byte budget); idle: back off. */
    private void schedule(long callStart, boolean empty, long behindMillis, long bytes) {
        long spacing = settings.minSpacing().toMillis();
        long byteSpacing = bytes * 1000L / Math.max(1, settings.maxBytesPerSecond());
        long delay;
        if (!empty && behindMillis > 0) {
            delay = Math.max(spacing, byteSpacing);
            idleMillis = settings.idleInterval().toMillis();
        } else if (!empty) {
            idleMillis = settings.idleInterval().toMillis();
            delay = Math.max(idleMillis, byteSpacing);
        } else {
            delay = idleMillis;
            idleMillis = Math.min(settings.maxIdleInterval().toMillis(), idleMillis * 2);
        }
        nextCallNanos = callStart + Math.max(spacing, delay) * 1_000_000L;
    }

    private GetShardIteratorRequest iteratorRequest() {
        GetShardIteratorRequest.Builder b = StreamRequests.apply(stream, GetShardIteratorRequest.builder()).shardId(shardId)
                .overrideConfiguration(KinesisCalls::timeout);
        if (lastSequenceNumber != null) {
            return b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                    .startingSequenceNumber(lastSequenceNumber).build();
        }
        if (start.isPosition()) {
            // AT, not AFTER: a checkpoint may sit inside an aggregate; the worker skips what is done.
            return b.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                    .startingSequenceNumber(start.sequenceNumber()).build();
        }
        if (start.equals(Checkpoint.LATEST)) {
            return b.shardIteratorType(ShardIteratorType.LATEST).build();
        }
        if (start.equals(Checkpoint.AT_TIMESTAMP) && atTimestamp != null) {
            return b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(atTimestamp).build();
        }
        return b.shardIteratorType(ShardIteratorType.TRIM_HORIZON).build();
    }
}
