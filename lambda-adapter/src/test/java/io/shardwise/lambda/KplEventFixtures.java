package io.shardwise.lambda;

import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import io.shardwise.testkit.lambda.LocalLambdaContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Builds the Kinesis event fixtures under {@code src/test/resources/events} from KPL aggregates
 * made by {@link RecordAggregator}. The JSON files are committed; {@code KplEventFixturesTest}
 * checks that they still hold exactly these bytes. Regenerate with this main (argument: the
 * resources directory).
 *
 * <p>The mixed event, in order: a plain record, aggregate A (4 JSON orders), a second plain
 * record, a corrupt aggregate (checksum broken: passes through as one record), aggregate B (3).
 */
final class KplEventFixtures {

    static final String ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/orders";
    static final String SHARD = "shardId-000000000002";
    static final String SEQ_PLAIN_1 = "49590338271490256608559692538361571095921575989136588801";
    static final String SEQ_A = "49590338271490256608559692538361571095921575989136588802";
    static final String SEQ_PLAIN_2 = "49590338271490256608559692538361571095921575989136588803";
    static final String SEQ_CORRUPT = "49590338271490256608559692538361571095921575989136588804";
    static final String SEQ_B = "49590338271490256608559692538361571095921575989136588805";
    static final long ARRIVAL_MILLIS = 1_714_558_530_123L;
    /** The function the tests' contexts belong to. */
    static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders";

    private KplEventFixtures() {
    }

    /** One Kinesis record of a fixture event. */
    record Entry(String partitionKey, String sequenceNumber, byte[] data) {
    }

    /** A context of {@link #FUNCTION_ARN} whose remaining time stays {@code remainingMillis}. */
    static LocalLambdaContext context(int remainingMillis) {
        return LocalLambdaContext.withRemainingTime(FUNCTION_ARN, remainingMillis);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String order(int id) {
        return "{\"orderId\":" + id + ",\"amount\":" + (id * 10) + "}";
    }

    static KinesisRecord aggregate(String keyPrefix, int firstId, int count) {
        RecordAggregator aggregator = new RecordAggregator();
        for (int i = 0; i < count; i++) {
            if (!aggregator.tryAdd(keyPrefix + (firstId + i), null, utf8(order(firstId + i)))) {
                throw new IllegalStateException("fixture record did not fit");
            }
        }
        KinesisRecord record = aggregator.emit();
        if (!record.aggregated()) {
            throw new IllegalStateException("fixture was not aggregated");
        }
        return record;
    }

    static byte[] corruptAggregate() {
        byte[] bytes = aggregate("broken-", 90, 2).data().clone();
        bytes[bytes.length / 2] ^= 0x5A; // inside the protobuf message: the MD5 no longer matches
        return bytes;
    }

    static List<Entry> mixedEntries() {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry("plain-1", SEQ_PLAIN_1, utf8("plain one")));
        KinesisRecord a = aggregate("order-", 1, 4);
        entries.add(new Entry(a.partitionKey(), SEQ_A, a.data()));
        entries.add(new Entry("plain-2", SEQ_PLAIN_2, utf8("plain two")));
        entries.add(new Entry("a", SEQ_CORRUPT, corruptAggregate()));
        KinesisRecord b = aggregate("order-", 5, 3);
        entries.add(new Entry(b.partitionKey(), SEQ_B, b.data()));
        return entries;
    }

    static String eventJson(List<Entry> entries) {
        StringBuilder json = new StringBuilder("{\n  \"Records\": [\n");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            json.append("    {\n")
                .append("      \"kinesis\": {\n")
                .append("        \"kinesisSchemaVersion\": \"1.0\",\n")
                .append("        \"partitionKey\": \"").append(e.partitionKey()).append("\",\n")
                .append("        \"sequenceNumber\": \"").append(e.sequenceNumber()).append("\",\n")
                .append("        \"data\": \"").append(Base64.getEncoder().encodeToString(e.data())).append("\",\n")
                .append("        \"approximateArrivalTimestamp\": ").append(ARRIVAL_MILLIS / 1000).append('.')
                .append(String.format("%03d", ARRIVAL_MILLIS % 1000)).append('\n')
                .append("      },\n")
                .append("      \"eventSource\": \"aws:kinesis\",\n")
                .append("      \"eventVersion\": \"1.0\",\n")
                .append("      \"eventID\": \"").append(SHARD).append(':').append(e.sequenceNumber()).append("\",\n")
                .append("      \"eventName\": \"aws:kinesis:record\",\n")
                .append("      \"invokeIdentityArn\": \"arn:aws:iam::123456789012:role/lambda-role\",\n")
                .append("      \"awsRegion\": \"us-east-1\",\n")
                .append("      \"eventSourceARN\": \"").append(ARN).append("\"\n")
                .append("    }").append(i + 1 < entries.size() ? "," : "").append('\n');
        }
        return json.append("  ]\n}\n").toString();
    }

    /** The same records as a tumbling-window event, with the state carried in. */
    static String windowEventJson(List<Entry> entries, String stateJson, boolean finalInvoke) {
        String records = eventJson(entries);
        String body = records.substring(records.indexOf('\n') + 1, records.lastIndexOf('}'));
        return "{\n" + body.stripTrailing() + ",\n"
                + "  \"window\": {\"start\": \"2024-05-01T10:15:00Z\", \"end\": \"2024-05-01T10:16:00Z\"},\n"
                + "  \"state\": " + stateJson + ",\n"
                + "  \"shardId\": \"" + SHARD + "\",\n"
                + "  \"eventSourceARN\": \"" + ARN + "\",\n"
                + "  \"isFinalInvokeForWindow\": " + finalInvoke + ",\n"
                + "  \"isWindowTerminatedEarly\": false\n}\n";
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "lambda-adapter/src/test/resources/events");
        Files.createDirectories(dir);
        List<Entry> mixed = mixedEntries();
        Files.writeString(dir.resolve("kinesis-kpl-mixed.json"), eventJson(mixed));
        Files.writeString(dir.resolve("kinesis-plain.json"), eventJson(List.of(mixed.get(0), mixed.get(2))));
        Files.writeString(dir.resolve("kinesis-window.json"),
                windowEventJson(mixed.subList(0, 3), "{\"count\": \"10\", \"amount\": \"0\"}", false));
        Files.writeString(dir.resolve("kinesis-window-final.json"),
                windowEventJson(List.of(), "{\"count\": \"15\", \"amount\": \"100\"}", true));
    }
}
