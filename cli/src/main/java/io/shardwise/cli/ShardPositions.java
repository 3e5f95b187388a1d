package io.shardwise.cli;

import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.aggregation.Deaggregator;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Turns "from time T on" into a checkpoint, per shard. A checkpoint names the last processed user
 * record; Shardwise and the KCL both resume at the first user record strictly after it (they read
 * AT its sequence number and skip what is not greater). So the checkpoint for T is the LAST user
 * record of the Kinesis record just before the first record at or after T (as an AT_TIMESTAMP
 * iterator finds it), TRIM_HORIZON when no retained record precedes it, and SHARD_END for a closed
 * shard with no record at or after T. Kinesis cannot read backwards: the record before is found by
 * reading forward from AT_TIMESTAMP iterators ever earlier (T - 1 min, T - 1 h, T - 1 day), then
 * from the trim horizon.
 */
final class ShardPositions {

    private static final List<Duration> LOOK_BACK = List.of(Duration.ofMinutes(1), Duration.ofHours(1),
            Duration.ofDays(1));

    private final KinesisClient kinesis;
    private final String stream;

    ShardPositions(KinesisClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    /** The checkpoint after which {@code shard} resumes at its first record at or after {@code time}. */
    AppCheckpoint resumingAt(Shard shard, Instant time) {
        Record[] first = {null};
        read(iterator(shard.shardId(), atTimestamp(time)), r -> {
            first[0] = r;
            return false;
        });
        return after(shard, time, first[0]);
    }

    /**
     * The checkpoint after every record the shard holds at {@code now} (SHARD_END when closed). No
     * AT_TIMESTAMP probe: Kinesis refuses a timestamp ahead of its own clock.
     */
    AppCheckpoint resumingAfterAll(Shard shard, Instant now) {
        return after(shard, now, null);
    }

    /** {@code first} is the first record at or after {@code time}, null when there is none. */
    private AppCheckpoint after(Shard shard, Instant time, Record firstAtOrAfter) {
        Record[] first = {firstAtOrAfter};
        boolean closed = shard.sequenceNumberRange().endingSequenceNumber() != null;
        if (first[0] == null && closed) {
            return AppCheckpoint.SHARD_END;
        }
        BigInteger boundary = first[0] == null ? null : new BigInteger(first[0].sequenceNumber());
        // Without a boundary (nothing at or after T yet) records that arrive meanwhile stop the search by time.
        Predicate<Record> before = r -> boundary != null ? new BigInteger(r.sequenceNumber()).compareTo(boundary) < 0
                : r.approximateArrivalTimestamp() == null || r.approximateArrivalTimestamp().isBefore(time);
        for (int i = 0; i <= LOOK_BACK.size(); i++) {
            String iterator = i < LOOK_BACK.size()
                    ? iterator(shard.shardId(), atTimestamp(time.minus(LOOK_BACK.get(i))))
                    : iterator(shard.shardId(), b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON));
            Record[] last = {null};
            read(iterator, r -> {
                if (!before.test(r)) {
                    return false;
                }
                last[0] = r;
                return true;
            });
            if (last[0] != null) {
                return lastUserRecord(last[0]);
            }
        }
        return AppCheckpoint.TRIM_HORIZON;
    }

    /**
     * The checkpoint for {@code --to-sequence}: record N wholly processed (its last user record), or
     * exactly N/SUB when a sub-sequence number is given. Fails when the shard holds no record N.
     */
    AppCheckpoint atSequence(String shardId, AppCheckpoint requested) {
        Record[] found = {null};
        try {
            read(iterator(shardId, b -> b.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                    .startingSequenceNumber(requested.sequenceNumber())), r -> {
                        found[0] = r;
                        return false;
                    });
        } catch (software.amazon.awssdk.services.kinesis.model.InvalidArgumentException
                 | software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException e) {
            // Kinesis answers InvalidArgument for a number of another shard; kinesis-mock, ResourceNotFound.
            throw new CliException("--to-sequence " + requested.sequenceNumber() + ": not a sequence number of "
                    + shardId + " (" + e.awsErrorDetails().errorMessage() + ")");
        }
        if (found[0] == null || !found[0].sequenceNumber().equals(requested.sequenceNumber())) {
            throw new CliException("--to-sequence " + requested.sequenceNumber() + ": " + shardId
                    + " holds no record with that sequence number (trimmed, or of another shard)");
        }
        AppCheckpoint whole = lastUserRecord(found[0]);
        if (requested.subSequenceNumber() < 0) {
            return whole;
        }
        if (requested.subSequenceNumber() > whole.subSequenceNumber()) {
            throw new CliException("--to-sequence " + requested + ": record " + requested.sequenceNumber()
                    + " has user records 0.." + whole.subSequenceNumber());
        }
        return requested;
    }

    private static AppCheckpoint lastUserRecord(Record record) {
        List<DeaggregatedRecord> users = Deaggregator.deaggregate(record.partitionKey(), null,
                record.data().asByteArrayUnsafe(), record.sequenceNumber(), null).records();
        long sub = users.isEmpty() ? 0 : users.get(users.size() - 1).subSequenceNumber();
        return new AppCheckpoint(record.sequenceNumber(), sub);
    }

    private static java.util.function.Consumer<GetShardIteratorRequest.Builder> atTimestamp(Instant time) {
        return b -> b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(time);
    }

    private String iterator(String shardId, java.util.function.Consumer<GetShardIteratorRequest.Builder> position) {
        return kinesis.getShardIterator(b -> {
            b.streamName(stream).shardId(shardId);
            position.accept(b);
        }).shardIterator();
    }

    /**
     * Reads forward, handing each record to {@code visitor} until it answers false, the shard ends,
     * or the reader is at the tip of an open shard.
     */
    private void read(String iterator, Predicate<Record> visitor) {
        String next = iterator;
        while (next != null) {
            GetRecordsResponse page;
            try {
                String current = next;
                page = kinesis.getRecords(b -> b.shardIterator(current).limit(1000));
            } catch (ProvisionedThroughputExceededException e) {
                AppOptions.sleep(Duration.ofSeconds(1));
                continue;
            }
            for (Record record : page.records()) {
                if (!visitor.test(record)) {
                    return;
                }
            }
            Long behind = page.millisBehindLatest();
            if (page.records().isEmpty() && (behind == null || behind == 0)) {
                return;
            }
            next = page.nextShardIterator();
        }
    }
}
