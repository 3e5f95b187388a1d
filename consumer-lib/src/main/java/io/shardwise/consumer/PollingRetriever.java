package io.shardwise.consumer;

import io.shardwise.kinesis.StreamReference;
import io.shardwise.kinesis.StreamRequests;
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

/**
 * GetRecords polling of one shard. Re-polls at once (after the minimum spacing) while the shard is
 * behind, backs off while idle, paces itself to the read limits, resumes after the last sequence
 * number read when an iterator expires, and backs off with jitter on throttling and errors.
 */
final class PollingRetriever implements Retriever {
    private static final Logger log = LoggerFactory.getLogger(PollingRetriever.class);

    private final KinesisAsyncClient kinesis;
    private final StreamReference stream;
    private final ReadStart start;
    private final PollingSettings settings;
    private final StopSignal stop;
    private final Backoff errorBackoff;
    private String iterator;
    private String lastSequenceNumber;
    private long nextCallNanos;
    private long idleMillis;

    PollingRetriever(KinesisAsyncClient kinesis, StreamReference stream, ReadStart start, PollingSettings settings,
                     StopSignal stop) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.start = start;
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
                log.info("Iterator of {} expired; resuming after {}", start.shardId(), lastSequenceNumber);
                iterator = null;
            } catch (ProvisionedThroughputExceededException | LimitExceededException | KmsThrottlingException throttled) {
                long delay = errorBackoff.nextDelayMillis();
                log.debug("Reads of {} throttled; backing off {} ms", start.shardId(), delay);
                nextCallNanos = System.nanoTime() + delay * 1_000_000L;
            } catch (RuntimeException error) {
                long delay = errorBackoff.nextDelayMillis();
                log.warn("Reading {} failed ({}); retrying in {} ms", start.shardId(), error.toString(), delay);
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
        GetShardIteratorRequest.Builder b = StreamRequests.apply(stream, GetShardIteratorRequest.builder()).shardId(start.shardId())
                .overrideConfiguration(KinesisCalls::timeout);
        return b.shardIteratorType(start.iteratorType(lastSequenceNumber))
                .startingSequenceNumber(start.sequenceNumber(lastSequenceNumber))
                .timestamp(start.timestamp(lastSequenceNumber)).build();
    }
}
