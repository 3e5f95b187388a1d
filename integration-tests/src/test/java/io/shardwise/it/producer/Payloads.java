package io.shardwise.it.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.it.support.StreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Payloads that say who they are ({@code key|n|padding}), and the read-back check every producer test
 * makes: each sent record is in the stream once, on a shard that owns its hash key, and per key in
 * the order it was sent.
 */
final class Payloads {
    /** One user record as read back. */
    record ReadBack(String shardId, String partitionKey, int n, String sequenceNumber, long subSequenceNumber) {}

    private Payloads() {}

    static byte[] payload(String key, int n, int size) {
        byte[] head = (key + "|" + n + "|").getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOf(head, Math.max(size, head.length));
        Arrays.fill(data, head.length, data.length, (byte) 'x');
        return data;
    }

    /**
     * Reads the whole stream (parents before children, as ListShards lists them), deaggregates with
     * each shard's range, skips sub-records outside their shard's range (as the KCL does), and checks
     * per-key order and the absence of duplicates. Returns the records by "key|n".
     */
    static Map<String, ReadBack> readBackInOrder(KinesisClient kinesis, String stream) {
        return read(kinesis, stream, true);
    }

    /** As {@link #readBackInOrder} without the order check (unordered mode): once each, on the right shard. */
    static Map<String, ReadBack> readBack(KinesisClient kinesis, String stream) {
        return read(kinesis, stream, false);
    }

    private static Map<String, ReadBack> read(KinesisClient kinesis, String stream, boolean checkOrder) {
        List<StreamReader.StoredRecord> stored = new StreamReader(kinesis).readAll(stream);
        List<StreamReader.StoredRecord> ordered = new ArrayList<>(stored);
        ordered.sort(Comparator.comparing((StreamReader.StoredRecord r) -> r.shard().shardId())); // stable: keeps each shard's order
        Map<String, ReadBack> byId = new LinkedHashMap<>();
        Map<String, Integer> lastByKey = new HashMap<>();
        for (StreamReader.StoredRecord record : ordered) {
            for (DeaggregatedRecord user : record.deaggregate().records()) {
                if (user.outsideShardRange()) {
                    continue;
                }
                String text = new String(user.data(), StandardCharsets.UTF_8);
                String[] parts = text.split("\\|", 3);
                assertThat(parts[0]).isEqualTo(user.partitionKey());
                int n = Integer.parseInt(parts[1]);
                ReadBack readBack = new ReadBack(record.shard().shardId(), user.partitionKey(), n,
                        user.sequenceNumber(), user.subSequenceNumber());
                assertThat(byId.put(user.partitionKey() + "|" + n, readBack)).as("duplicate of %s|%s", parts[0], n).isNull();
                Integer last = lastByKey.put(user.partitionKey(), n);
                assertThat(!checkOrder || last == null || last < n).as("key %s: %s stored after %s", user.partitionKey(), n, last).isTrue();
            }
        }
        return byId;
    }
}
