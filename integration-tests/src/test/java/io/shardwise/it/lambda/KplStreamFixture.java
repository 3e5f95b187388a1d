package io.shardwise.it.lambda;

import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.aggregation.Deaggregation;
import io.shardwise.it.support.Kpl;
import io.shardwise.it.support.StreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.producer.KinesisProducer;
import software.amazon.kinesis.producer.UserRecordResult;

/**
 * A stream written by the real KPL 1.1.1 with aggregation on, and what it holds, read back raw:
 * each Kinesis record with its user records, so tests can pick a sub-record in the middle of an
 * aggregate and know the per-key order the stream holds.
 */
final class KplStreamFixture {

    static final String WARM_UP_KEY = "warm-up";

    /** One Kinesis record as stored: its shard, sequence number and the user payloads inside. */
    record StoredRecord(String shardId, String sequenceNumber, boolean aggregated, List<String> payloads,
                        List<String> keys) {
    }

    final String streamName;
    final String streamArn;
    final List<StoredRecord> stored;

    private KplStreamFixture(String streamName, String streamArn, List<StoredRecord> stored) {
        this.streamName = streamName;
        this.streamArn = streamArn;
        this.stored = stored;
    }

    /**
     * Writes {@code keys} x {@code perKey} user records (payload {@code key:n}) with the KPL into a
     * new stream, with small aggregates so that there are several per shard.
     */
    static KplStreamFixture write(LocalEngines engines, int shards, int keys, int perKey) throws Exception {
        String name = engines.uniqueName("lambda-kpl");
        String arn = engines.createStream(name, shards);
        KinesisProducer kpl = new KinesisProducer(Kpl.config(engines)
                .setAggregationMaxCount(8)
                .setRecordMaxBufferedTime(100));
        try {
            Kpl.warmUp(kpl, name, WARM_UP_KEY);
            List<Future<UserRecordResult>> futures = new ArrayList<>();
            for (int n = 0; n < perKey; n++) {
                for (int k = 0; k < keys; k++) {
                    String key = "key-" + k;
                    futures.add(kpl.addUserRecord(name, key,
                            ByteBuffer.wrap((key + ":" + n).getBytes(StandardCharsets.UTF_8))));
                }
            }
            kpl.flushSync();
            for (Future<UserRecordResult> f : futures) {
                assertThat(f.get(120, TimeUnit.SECONDS).isSuccessful()).isTrue();
            }
        } finally {
            kpl.destroy();
        }
        return new KplStreamFixture(name, arn, readAll(engines.kinesisClient(), name));
    }

    private static List<StoredRecord> readAll(KinesisClient kinesis, String stream) {
        List<StoredRecord> stored = new ArrayList<>();
        for (StreamReader.StoredRecord raw : new StreamReader(kinesis).readAll(stream)) {
            Deaggregation d = raw.deaggregate();
            stored.add(new StoredRecord(raw.shard().shardId(), raw.record().sequenceNumber(), d.aggregated(),
                    d.records().stream().map(u -> new String(u.data(), StandardCharsets.UTF_8)).toList(),
                    d.records().stream().map(DeaggregatedRecord::partitionKey).toList()));
        }
        return stored;
    }

    /** Every user payload (the warm-up record excluded). */
    List<String> payloads() {
        return stored.stream().flatMap(s -> s.payloads().stream()).filter(p -> p.contains(":")).toList();
    }

    /** Per key, the payloads in the order the stream holds them. */
    Map<String, List<String>> orderPerKey() {
        Map<String, List<String>> order = new LinkedHashMap<>();
        for (StoredRecord s : stored) {
            for (int i = 0; i < s.payloads().size(); i++) {
                if (!s.keys().get(i).equals(WARM_UP_KEY)) {
                    order.computeIfAbsent(s.keys().get(i), k -> new ArrayList<>()).add(s.payloads().get(i));
                }
            }
        }
        return order;
    }

    /** Aggregates with at least {@code minSize} user records, in stream order. */
    List<StoredRecord> aggregates(int minSize) {
        return stored.stream().filter(s -> s.aggregated() && s.payloads().size() >= minSize).toList();
    }
}
