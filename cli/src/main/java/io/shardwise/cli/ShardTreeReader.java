package io.shardwise.cli;

import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.aggregation.Deaggregator;
import io.shardwise.aggregation.HashKeyRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Follows every shard of a stream with plain GetRecords, in the order that keeps each key in order:
 * a shard is read only once all its parents were read to their end (a split's children after their
 * parent, a merge's child after both parents). Children of a shard read to its end start at their
 * trim horizon; the first shards start where the caller asks.
 */
final class ShardTreeReader {

    /** Where the shards without a followed parent start. */
    record Start(ShardIteratorType type, Instant timestamp) {
        static Start parse(String from) {
            return switch (from.toLowerCase(java.util.Locale.ROOT)) {
                case "trim-horizon" -> new Start(ShardIteratorType.TRIM_HORIZON, null);
                case "latest" -> new Start(ShardIteratorType.LATEST, null);
                default -> {
                    try {
                        yield new Start(ShardIteratorType.AT_TIMESTAMP, Instant.parse(from));
                    } catch (java.time.format.DateTimeParseException e) {
                        throw new CliException("--from " + from
                                + ": expected trim-horizon, latest or an ISO time like 2025-01-31T12:00:00Z");
                    }
                }
            };
        }
    }

    /** A user record out of the stream, deaggregated. */
    record TailRecord(String shardId, DeaggregatedRecord record, Instant arrival) {
    }

    private static final long IDLE_SLEEP_MILLIS = 250;

    private final KinesisClient kinesis;
    private final String stream;
    private final StreamAdmin admin;
    private final Start start;
    private final Map<String, Shard> known = new HashMap<>();
    private final Set<String> finished = new HashSet<>();
    private final Set<String> skipped = new HashSet<>();
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Map<String, String> lastSequence = new HashMap<>();
    private boolean firstListing = true;

    ShardTreeReader(KinesisClient kinesis, String stream, Start start) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.admin = new StreamAdmin(kinesis);
        this.start = start;
    }

    /** One pass over the shards being read; returns their records in shard order (empty when idle). */
    List<TailRecord> poll() throws InterruptedException {
        if (firstListing || iterators.isEmpty()) {
            discover();
        }
        List<TailRecord> out = new ArrayList<>();
        boolean ended = false;
        for (String shardId : List.copyOf(iterators.keySet())) {
            GetRecordsResponse response;
            try {
                response = kinesis.getRecords(b -> b.shardIterator(iterators.get(shardId)).limit(1000));
            } catch (ExpiredIteratorException e) {
                iterators.put(shardId, resumeIterator(shardId));
                continue;
            } catch (ProvisionedThroughputExceededException e) {
                Thread.sleep(1000);
                continue;
            }
            HashKeyRange range = HashKeyRange.of(known.get(shardId).hashKeyRange().startingHashKey(),
                    known.get(shardId).hashKeyRange().endingHashKey());
            for (Record record : response.records()) {
                for (DeaggregatedRecord user : Deaggregator.deaggregate(record.partitionKey(), null,
                        record.data().asByteArrayUnsafe(), record.sequenceNumber(), range).records()) {
                    out.add(new TailRecord(shardId, user, record.approximateArrivalTimestamp()));
                }
                lastSequence.put(shardId, record.sequenceNumber());
            }
            if (response.nextShardIterator() == null) {
                iterators.remove(shardId);
                finished.add(shardId);
                ended = true;
            } else {
                iterators.put(shardId, response.nextShardIterator());
            }
        }
        if (ended) {
            discover();
        }
        if (out.isEmpty()) {
            Thread.sleep(IDLE_SLEEP_MILLIS);
        }
        return out;
    }

    /**
     * Lists the shards and starts every one whose parents are all finished (or were never seen). A
     * shard whose parent was read starts at its trim horizon (at the timestamp for --from TIME);
     * others at the requested start, and with --from latest a closed one is skipped altogether.
     */
    private void discover() {
        for (Shard shard : admin.shards(stream)) {
            known.putIfAbsent(shard.shardId(), shard);
        }
        firstListing = false;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Shard shard : known.values()) {
                String id = shard.shardId();
                if (finished.contains(id) || iterators.containsKey(id) || !parentsDone(shard)) {
                    continue;
                }
                boolean parentRead = wasRead(shard.parentShardId()) || wasRead(shard.adjacentParentShardId());
                if (!parentRead && start.type() == ShardIteratorType.LATEST
                        && shard.sequenceNumberRange().endingSequenceNumber() != null) {
                    finished.add(id);
                    skipped.add(id);
                    progress = true;
                    continue;
                }
                Start from = parentRead && start.type() != ShardIteratorType.AT_TIMESTAMP
                        ? new Start(ShardIteratorType.TRIM_HORIZON, null) : start;
                iterators.put(id, iterator(id, from));
            }
        }
    }

    private boolean wasRead(String parent) {
        return parent != null && known.containsKey(parent) && !skipped.contains(parent);
    }

    private boolean parentsDone(Shard shard) {
        return parentDone(shard.parentShardId()) && parentDone(shard.adjacentParentShardId());
    }

    private boolean parentDone(String parent) {
        return parent == null || !known.containsKey(parent) || finished.contains(parent);
    }

    private String iterator(String shardId, Start from) {
        return kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId).shardIteratorType(from.type())
                .timestamp(from.timestamp())).shardIterator();
    }

    private String resumeIterator(String shardId) {
        String last = lastSequence.get(shardId);
        if (last == null) {
            return iterator(shardId, new Start(ShardIteratorType.TRIM_HORIZON, null));
        }
        return kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(last)).shardIterator();
    }
}
