package io.shardwise.lambda;

import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.kinesis.ListShardsPager;
import io.shardwise.kinesis.StreamReference;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * {@link ShardHashRanges} from Kinesis: lists the stream's shards (ListShards by stream ARN, every
 * page) the first time one of its shards is asked for, and keeps every range for the life of the
 * function's container (a shard's range never changes). A shard not in the list (one created
 * after it, by a reshard) lists the stream again, at most once per {@code relistInterval}
 * (default 10 s, so a shard Kinesis does not know costs no call storm).
 *
 * <p>Needs {@code software.amazon.awssdk:kinesis} on the function's classpath (an optional
 * dependency of this library) and {@code kinesis:ListShards} on the stream, which the execution
 * role of a Kinesis event source mapping already has (AWSLambdaKinesisExecutionRole). Thread-safe.
 */
public final class KinesisShardHashRanges implements ShardHashRanges {

    private static final Duration DEFAULT_RELIST_INTERVAL = Duration.ofSeconds(10);

    private final KinesisClient kinesis;
    private final Duration relistInterval;
    private final Clock clock;
    private final Map<String, Map<String, HashKeyRange>> byStream = new HashMap<>();
    private final Map<String, Long> listedAtMillis = new HashMap<>();

    private KinesisShardHashRanges(KinesisClient kinesis, Duration relistInterval, Clock clock) {
        this.kinesis = kinesis;
        this.relistInterval = relistInterval;
        this.clock = clock;
    }

    /** Ranges looked up with this client. */
    public static KinesisShardHashRanges of(KinesisClient kinesis) {
        return new KinesisShardHashRanges(Objects.requireNonNull(kinesis, "kinesis"), DEFAULT_RELIST_INTERVAL,
                Clock.systemUTC());
    }

    /** Ranges looked up with a client of the default region and credentials (in Lambda: the function's). */
    public static KinesisShardHashRanges fromEnvironment() {
        return of(KinesisClient.create());
    }

    @Override
    public synchronized HashKeyRange hashKeyRange(String eventSourceArn, String shardId) {
        Objects.requireNonNull(eventSourceArn, "eventSourceArn");
        Map<String, HashKeyRange> ranges = byStream.get(eventSourceArn);
        HashKeyRange range = ranges == null ? null : ranges.get(shardId);
        if (range != null) {
            return range;
        }
        Long listedAt = listedAtMillis.get(eventSourceArn);
        if (listedAt != null && clock.millis() - listedAt < relistInterval.toMillis()) {
            return null;
        }
        list(eventSourceArn);
        return byStream.get(eventSourceArn).get(shardId);
    }

    private void list(String eventSourceArn) {
        Map<String, HashKeyRange> ranges = byStream.computeIfAbsent(eventSourceArn, arn -> new HashMap<>());
        for (Shard shard : new ListShardsPager(StreamReference.ofArn(eventSourceArn)).listAll(kinesis::listShards)) {
            ranges.put(shard.shardId(), HashKeyRange.of(shard.hashKeyRange().startingHashKey(),
                    shard.hashKeyRange().endingHashKey()));
        }
        listedAtMillis.put(eventSourceArn, clock.millis());
    }
}
