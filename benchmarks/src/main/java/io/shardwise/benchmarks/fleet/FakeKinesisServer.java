package io.shardwise.benchmarks.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Kinesis's read API over a {@link FakeStream}, in JSON (the SDK sends JSON when its JVM runs with
 * {@code -Daws.cborEnabled=false}; a CBOR request is refused with that advice): ListShards
 * (paginated, {@code MaxResults} up to 1,000 per page, NextToken), DescribeStream(Summary),
 * GetShardIterator (LATEST, TRIM_HORIZON, AT/AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP) and GetRecords
 * (with MillisBehindLatest, and ChildShards at a closed shard's end). An iterator is
 * {@code shardIndex:recordIndex}. One server per consumer over the same stream, so calls are counted
 * per consumer.
 */
final class FakeKinesisServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE_MAX = 1000;

    private final FakeStream stream;
    private final LoopbackHttpServer server;
    private volatile Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private volatile long callsSince = System.nanoTime();

    FakeKinesisServer(FakeStream stream) throws IOException {
        this.stream = stream;
        server = new LoopbackHttpServer(this::handle, "fake-kinesis", 6, 1024);
    }

    URI endpoint() {
        return server.endpoint();
    }

    /** Calls per operation since the last call (or the start), and the seconds they span; then starts afresh. */
    Map<String, Double> takeCallRates() {
        Map<String, LongAdder> taken = calls;
        long since = callsSince;
        calls = new ConcurrentHashMap<>();
        callsSince = System.nanoTime();
        double seconds = (callsSince - since) / 1e9;
        Map<String, Double> rates = new TreeMap<>();
        taken.forEach((op, n) -> rates.put(op, n.sum() / seconds));
        return rates;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            String operation = target.substring(target.indexOf('.') + 1);
            calls.computeIfAbsent(operation, k -> new LongAdder()).increment();
            int status = 200;
            String answer;
            if (String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).contains("cbor")) {
                status = 400;
                answer = error("InvalidArgumentException", "the fleet's fake Kinesis speaks JSON only: run the "
                        + "client's JVM with -Daws.cborEnabled=false");
            } else {
                try {
                    JsonNode request = JSON.readTree(body);
                    answer = switch (operation) {
                        case "ListShards" -> listShards(request);
                        case "DescribeStreamSummary" -> describeStreamSummary();
                        case "DescribeStream" -> describeStream();
                        case "GetShardIterator" -> getShardIterator(request);
                        case "GetRecords" -> getRecords(request);
                        default -> null;
                    };
                    if (answer == null) {
                        status = 400;
                        answer = error("InvalidArgumentException", "the fleet's fake Kinesis does not answer "
                                + operation);
                    }
                } catch (FakeError e) {
                    status = 400;
                    answer = error(e.type, e.getMessage());
                }
            }
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "fake");
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }

    private static String error(String type, String message) {
        return "{\"__type\":\"" + type + "\",\"message\":\"" + message.replace("\"", "'") + "\"}";
    }

    private String listShards(JsonNode request) {
        int offset = 0;
        if (request.hasNonNull("NextToken")) {
            String token = request.get("NextToken").asText();
            if (!token.startsWith("fleet-")) {
                throw new FakeError("InvalidArgumentException", "unknown NextToken " + token);
            }
            offset = Integer.parseInt(token.substring(6));
        }
        int page = Math.min(PAGE_MAX, request.path("MaxResults").asInt(PAGE_MAX));
        boolean openOnly = "AT_LATEST".equals(request.path("ShardFilter").path("Type").asText());
        List<FakeStream.Shard> all = stream.shards();
        StringBuilder json = new StringBuilder(200 * Math.min(page, all.size())).append("{\"Shards\":[");
        int written = 0;
        int i = offset;
        for (; i < all.size() && written < page; i++) {
            FakeStream.Shard s = all.get(i);
            if (openOnly && s.closedAt >= 0) {
                continue;
            }
            json.append(written++ == 0 ? "" : ",").append(shardJson(s));
        }
        json.append("]");
        if (i < all.size()) {
            json.append(",\"NextToken\":\"fleet-").append(i).append("\"");
        }
        return json.append("}").toString();
    }

    private String shardJson(FakeStream.Shard s) {
        StringBuilder json = new StringBuilder(200).append("{\"ShardId\":\"").append(s.id).append("\"");
        if (s.parentId != null) {
            json.append(",\"ParentShardId\":\"").append(s.parentId).append("\"");
        }
        json.append(",\"HashKeyRange\":{\"StartingHashKey\":\"").append(s.startHash)
                .append("\",\"EndingHashKey\":\"").append(s.endHash)
                .append("\"},\"SequenceNumberRange\":{\"StartingSequenceNumber\":\"")
                .append(stream.sequenceNumber(s, 0)).append("\"");
        if (s.closedAt >= 0) {
            json.append(",\"EndingSequenceNumber\":\"").append(stream.sequenceNumber(s, Math.max(0, s.closedAt - 1)))
                    .append("\"");
        }
        return json.append("}}").toString();
    }

    private String summaryFields() {
        return "\"StreamName\":\"" + stream.name + "\",\"StreamARN\":\"" + stream.arn() + "\",\"StreamStatus\":\"ACTIVE\","
                + "\"RetentionPeriodHours\":24,\"StreamCreationTimestamp\":1700000000,\"EnhancedMonitoring\":[],"
                + "\"EncryptionType\":\"NONE\",\"StreamModeDetails\":{\"StreamMode\":\"PROVISIONED\"}";
    }

    private String describeStreamSummary() {
        return "{\"StreamDescriptionSummary\":{" + summaryFields() + ",\"OpenShardCount\":" + stream.openShardCount()
                + ",\"ConsumerCount\":0}}";
    }

    private String describeStream() {
        StringBuilder json = new StringBuilder("{\"StreamDescription\":{").append(summaryFields())
                .append(",\"HasMoreShards\":false,\"Shards\":[");
        List<FakeStream.Shard> all = stream.shards();
        for (int i = 0; i < all.size(); i++) {
            json.append(i == 0 ? "" : ",").append(shardJson(all.get(i)));
        }
        return json.append("]}}").toString();
    }

    private FakeStream.Shard shardOf(String shardId) {
        FakeStream.Shard shard = shardId == null ? null : stream.shard(shardId);
        if (shard == null) {
            throw new FakeError("ResourceNotFoundException", "Shard " + shardId + " in stream " + stream.name
                    + " under account 000000000000 does not exist");
        }
        return shard;
    }

    private String getShardIterator(JsonNode request) {
        FakeStream.Shard shard = shardOf(request.path("ShardId").asText(null));
        long now = System.currentTimeMillis();
        String type = request.path("ShardIteratorType").asText();
        long position = switch (type) {
            case "LATEST" -> shard.available(now);
            case "TRIM_HORIZON" -> 0;
            case "AT_SEQUENCE_NUMBER" -> FakeStream.recordIndex(request.path("StartingSequenceNumber").asText());
            case "AFTER_SEQUENCE_NUMBER" -> FakeStream.recordIndex(request.path("StartingSequenceNumber").asText()) + 1;
            case "AT_TIMESTAMP" -> shard.indexAt((long) (request.path("Timestamp").asDouble() * 1000));
            default -> throw new FakeError("InvalidArgumentException", "unknown ShardIteratorType " + type);
        };
        return "{\"ShardIterator\":\"" + shard.index + ":" + position + "\"}";
    }

    private String getRecords(JsonNode request) {
        String iterator = request.path("ShardIterator").asText("");
        int colon = iterator.indexOf(':');
        if (colon < 0) {
            throw new FakeError("InvalidArgumentException", "malformed ShardIterator " + iterator);
        }
        FakeStream.Shard shard;
        long position;
        try {
            shard = stream.shards().get(Integer.parseInt(iterator.substring(0, colon)));
            position = Long.parseLong(iterator.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new FakeError("InvalidArgumentException", "malformed ShardIterator " + iterator);
        }
        int limit = Math.min(10_000, request.path("Limit").asInt(10_000));
        long now = System.currentTimeMillis();
        long available = shard.available(now);
        long end = Math.min(available, position + limit);
        String data = end > position ? shard.aggregateBase64() : null;
        StringBuilder json = new StringBuilder(64 + (int) Math.max(0, end - position) * (data == null ? 0 : data.length() + 120))
                .append("{\"Records\":[");
        for (long i = position; i < end; i++) {
            json.append(i == position ? "" : ",").append("{\"SequenceNumber\":\"").append(stream.sequenceNumber(shard, i))
                    .append("\",\"ApproximateArrivalTimestamp\":").append(shard.arrivalMillis(i) / 1000.0)
                    .append(",\"PartitionKey\":\"pk-").append(shard.index).append("\",\"Data\":\"").append(data)
                    .append("\"}");
        }
        json.append("]");
        boolean ended = shard.closedAt >= 0 && Math.max(end, position) >= shard.closedAt;
        if (ended) {
            json.append(",\"ChildShards\":[");
            List<FakeStream.Shard> children = shard.children;
            for (int c = 0; c < children.size(); c++) {
                FakeStream.Shard child = children.get(c);
                json.append(c == 0 ? "" : ",").append("{\"ShardId\":\"").append(child.id)
                        .append("\",\"ParentShards\":[\"").append(shard.id).append("\"],\"HashKeyRange\":{")
                        .append("\"StartingHashKey\":\"").append(child.startHash).append("\",\"EndingHashKey\":\"")
                        .append(child.endHash).append("\"}}");
            }
            json.append("],\"MillisBehindLatest\":0}");
            return json.toString();
        }
        long behind = Math.max(0, available - end) * stream.periodMillis;
        return json.append(",\"NextShardIterator\":\"").append(shard.index).append(':').append(Math.max(end, position))
                .append("\",\"MillisBehindLatest\":").append(behind).append("}").toString();
    }

    /** A Kinesis error answer: its type and message. */
    private static final class FakeError extends RuntimeException {
        final String type;

        FakeError(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
