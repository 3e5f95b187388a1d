package io.shardwise.testkit.lambda;

import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads a shard with GetRecords and deals its records into the shard's lanes by partition key.
 * It reads while the lanes hold less than a full batch each, and polls a shard that had nothing
 * new at most once per poll interval. An expired iterator is opened again after the last record
 * read; a shard read to its end hands its children to {@link EventSourceShards}.
 *
 * <p>Used by the polling thread only.
 */
final class EventSourceReader {

    private final EventSourceSettings settings;
    private final EventSourceShards shards;

    EventSourceReader(EventSourceSettings settings, EventSourceShards shards) {
        this.settings = settings;
        this.shards = shards;
    }

    /** Reads the shard once when that is due; true when it read records. */
    boolean readIfDue(EventSourceShard shard) {
        if (!shard.opened) {
            shard.iterator = openIterator(shard);
            shard.opened = true;
        }
        int capacity = settings.batchSize() * shard.lanes.length;
        int pending = shard.pendingCount();
        if (shard.ended || pending >= capacity) {
            return false;
        }
        long now = System.nanoTime();
        if (!shard.lastPollHadRecords && now - shard.lastPollNanos < settings.pollInterval().toNanos()
                && shard.lastPollNanos != 0) {
            return false;
        }
        Instant wallNow = Instant.now();
        int limit = Math.max(1, Math.min(10_000, capacity - pending));
        GetRecordsResponse response;
        try {
            response = settings.kinesis().getRecords(b -> b.shardIterator(shard.iterator).limit(limit));
        } catch (ExpiredIteratorException e) {
            shard.iterator = openIterator(shard);
            return false;
        }
        shard.lastPollNanos = now;
        List<Record> records = response.records();
        shard.lastPollHadRecords = !records.isEmpty();
        for (Record record : records) {
            shard.laneOf(record.partitionKey()).add(record, now);
        }
        if (!records.isEmpty()) {
            shard.lastFetchedSequence = records.get(records.size() - 1).sequenceNumber();
        }
        shard.iterator = response.nextShardIterator();
        if (shard.iterator == null) {
            shards.ended(response.childShards());
            shard.ended = true;
        } else if (records.isEmpty() && (response.millisBehindLatest() == null || response.millisBehindLatest() == 0)) {
            shard.caughtUpPollStart = wallNow;
            shard.caughtUpPollStartNanos = now;
        }
        return !records.isEmpty();
    }

    /** After the last record read; before any, at the starting position or, for a later shard, the trim horizon. */
    private String openIterator(EventSourceShard shard) {
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder()
                .streamName(settings.streamName()).shardId(shard.shardId);
        if (shard.lastFetchedSequence != null) {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                    .startingSequenceNumber(shard.lastFetchedSequence);
        } else if (!shard.fromStartingPosition) {
            request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        } else {
            switch (settings.startingPosition()) {
                case TRIM_HORIZON -> request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                case LATEST -> request.shardIteratorType(ShardIteratorType.LATEST);
                case AT_TIMESTAMP -> request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                        .timestamp(settings.startingPositionTimestamp());
                default -> throw new IllegalStateException("unknown starting position " + settings.startingPosition());
            }
        }
        return settings.kinesis().getShardIterator(request.build()).shardIterator();
    }
}
