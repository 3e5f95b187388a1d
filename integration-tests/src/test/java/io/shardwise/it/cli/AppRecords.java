package io.shardwise.it.cli;

import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * Numbered records "key-k:n" for the {@code shardwise app} tests: plain records over four keys, and
 * the last three of each batch in one KPL aggregate of key-0 (so checkpoints inside aggregates, with
 * sub-sequence numbers, are exercised).
 */
final class AppRecords {
    static final int KEYS = 4;
    static final int AGGREGATED = 3;

    private AppRecords() {
    }

    /** Writes records {@code from..to-1}, in order, and returns their payloads. */
    static List<String> write(KinesisClient kinesis, String stream, int from, int to) {
        List<String> payloads = new ArrayList<>();
        List<PutRecordsRequestEntry> plain = new ArrayList<>();
        for (int n = from; n < to - AGGREGATED; n++) {
            String payload = "key-" + (n % KEYS) + ":" + n;
            payloads.add(payload);
            plain.add(PutRecordsRequestEntry.builder().partitionKey("key-" + (n % KEYS))
                    .data(SdkBytes.fromString(payload, StandardCharsets.UTF_8)).build());
        }
        // One at a time: PutRecords orders entries of one shard, and records must follow each other per key.
        for (PutRecordsRequestEntry entry : plain) {
            put(kinesis, stream, entry);
        }
        RecordAggregator aggregator = new RecordAggregator();
        for (int n = to - AGGREGATED; n < to; n++) {
            String payload = "key-0:" + n;
            payloads.add(payload);
            aggregator.tryAdd("key-0", null, payload.getBytes(StandardCharsets.UTF_8));
        }
        KinesisRecord aggregate = aggregator.emit();
        put(kinesis, stream, PutRecordsRequestEntry.builder().partitionKey(aggregate.partitionKey())
                .explicitHashKey(aggregate.explicitHashKey())
                .data(SdkBytes.fromByteArray(aggregate.data())).build());
        return payloads;
    }

    private static void put(KinesisClient kinesis, String stream, PutRecordsRequestEntry entry) {
        for (int attempt = 0; ; attempt++) {
            PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(stream).records(entry));
            if (response.failedRecordCount() == 0) {
                return;
            }
            if (attempt > 20) {
                throw new IllegalStateException("PutRecords kept failing: " + response.records());
            }
        }
    }

    /** The numbers each key received, in delivery order. */
    static Map<String, List<Integer>> byKey(List<String> delivered) {
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (String payload : delivered) {
            int colon = payload.indexOf(':');
            byKey.computeIfAbsent(payload.substring(0, colon), k -> new ArrayList<>())
                    .add(Integer.parseInt(payload.substring(colon + 1)));
        }
        return byKey;
    }

    static boolean ascending(List<Integer> numbers) {
        return numbers.stream().sorted(Comparator.naturalOrder()).distinct().toList().equals(numbers);
    }
}
