package io.shardwise.it.support;

import io.shardwise.aggregation.Deaggregation;
import io.shardwise.aggregation.Deaggregator;
import io.shardwise.aggregation.HashKeyRange;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads a whole stream back from TRIM_HORIZON, shard by shard, the plain way (GetRecords), so tests
 * can compare what a writer sent with what the stream holds.
 */
public final class StreamReader {
    private final KinesisClient kinesis;

    public StreamReader(KinesisClient kinesis) {
        this.kinesis = kinesis;
    }

    /** One Kinesis record as stored, with the shard it was read from. */
    public record StoredRecord(Shard shard, Record record) {
        public HashKeyRange shardRange() {
            return HashKeyRange.of(shard.hashKeyRange().startingHashKey(), shard.hashKeyRange().endingHashKey());
        }

        public Deaggregation deaggregate() {
            // GetRecords does not return a record's explicit hash key: only aggregates carry them inside.
            return Deaggregator.deaggregate(record.partitionKey(), null,
                    record.data().asByteArray(), record.sequenceNumber(), shardRange());
        }
    }

    /** Every shard of the stream, open and closed (ListShards has no paginator in the SDK). */
    public static List<Shard> listShards(KinesisClient kinesis, String streamName) {
        List<Shard> shards = new ArrayList<>();
        ListShardsResponse page = kinesis.listShards(b -> b.streamName(streamName));
        shards.addAll(page.shards());
        while (page.nextToken() != null) {
            String token = page.nextToken();
            page = kinesis.listShards(b -> b.nextToken(token));
            shards.addAll(page.shards());
        }
        return shards;
    }

    /** Every record of every shard, each shard in order, until each shard is read to its current tip. */
    public List<StoredRecord> readAll(String streamName) {
        List<StoredRecord> all = new ArrayList<>();
        for (Shard shard : listShards(kinesis, streamName)) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(streamName).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                response.records().forEach(r -> all.add(new StoredRecord(shard, r)));
                boolean atTip = response.records().isEmpty()
                        && (response.millisBehindLatest() == null || response.millisBehindLatest() == 0);
                iterator = atTip ? null : response.nextShardIterator();
            }
        }
        return all;
    }
}
