package io.shardwise.it.consumer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** Writes numbered records "key:n" to a stream with PutRecords, retrying failed entries. */
final class Writes {
    private Writes() {
    }

    /** Writes records {@code from..to-1} spread over {@code keys} partition keys; payload is "key:n". */
    static List<String> numbered(KinesisClient kinesis, String stream, int from, int to, int keys) {
        List<String> payloads = new ArrayList<>();
        List<PutRecordsRequestEntry> batch = new ArrayList<>();
        for (int n = from; n < to; n++) {
            String key = "key-" + (n % keys);
            String payload = key + ":" + n;
            payloads.add(payload);
            batch.add(PutRecordsRequestEntry.builder().partitionKey(key)
                    .data(SdkBytes.fromString(payload, StandardCharsets.UTF_8)).build());
            if (batch.size() == 100) {
                put(kinesis, stream, batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            put(kinesis, stream, batch);
        }
        return payloads;
    }

    /** Writes the entries, retrying failed ones; returns each entry's successful result, in entry order. */
    static List<PutRecordsResultEntry> put(KinesisClient kinesis, String stream, List<PutRecordsRequestEntry> entries) {
        PutRecordsResultEntry[] results = new PutRecordsResultEntry[entries.size()];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            pending.add(i);
        }
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > 20) {
                throw new IllegalStateException("PutRecords kept failing for " + pending.size() + " entries");
            }
            List<PutRecordsRequestEntry> current = pending.stream().map(entries::get).toList();
            PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(stream).records(current));
            List<Integer> failed = new ArrayList<>();
            for (int i = 0; i < response.records().size(); i++) {
                PutRecordsResultEntry result = response.records().get(i);
                if (result.errorCode() != null) {
                    failed.add(pending.get(i));
                } else {
                    results[pending.get(i)] = result;
                }
            }
            pending = failed;
        }
        return List.of(results);
    }

    static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
