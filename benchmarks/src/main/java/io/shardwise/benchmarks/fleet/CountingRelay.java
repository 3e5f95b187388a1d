package io.shardwise.benchmarks.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An HTTP relay in front of DynamoDB Local that bills every call of one consumer as DynamoDB would
 * ({@link CapacityUnits}), per table and operation, and also asks DynamoDB Local for its own figure
 * (ReturnConsumedCapacity=INDEXES is added to each data call that did not ask for it; the extra
 * field in the answer is ignored by the SDK's callers).
 *
 * <p>Writes are billed on the larger of the item's old and new sizes, so the relay needs both: it
 * keeps the last image of every item written or read through it (only this consumer writes its
 * tables), reads an item it has not seen before the write with a consistent GetItem of its own, and
 * takes the new image from the request (PutItem), the answer (UpdateItem with ALL_NEW), or another
 * GetItem of its own after the write. Its own reads are not billed. Writes to one item are serialized
 * through the relay so the images stay in order.
 */
final class CountingRelay implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final Set<String> WITH_CAPACITY = Set.of("GetItem", "PutItem", "UpdateItem", "DeleteItem",
            "Scan", "Query", "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems");
    private static final Set<String> SKIPPED_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final URI upstream;
    private final LoopbackHttpServer server;
    private final HttpClient client;
    private final Map<String, TableShape> shapes = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> images = new ConcurrentHashMap<>();
    private final ReentrantLock[] itemLocks = new ReentrantLock[256];
    private volatile CallTally tally = new CallTally();

    CountingRelay(URI dynamoDbLocal) throws IOException {
        this.upstream = dynamoDbLocal;
        for (int i = 0; i < itemLocks.length; i++) {
            itemLocks[i] = new ReentrantLock();
        }
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        server = new LoopbackHttpServer(this::handle, "relay", 32, 512);
    }

    URI endpoint() {
        return server.endpoint();
    }

    /** The tally since the last call (or since the start), and a fresh one from now. */
    CallTally takeTally() {
        CallTally taken = tally;
        tally = new CallTally();
        return taken;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            relay(exchange);
        } catch (Exception e) {
            byte[] out = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"relay: "
                    + e.toString().replace('"', '\'') + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(500, out.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(out);
            }
        } finally {
            exchange.close();
        }
    }

    private void relay(HttpExchange exchange) throws Exception {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        String operation = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
        ObjectNode request = body.length == 0 ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(body);
        if (WITH_CAPACITY.contains(operation) && !request.has("ReturnConsumedCapacity")) {
            request.put("ReturnConsumedCapacity", "INDEXES");
            body = JSON.writeValueAsBytes(request);
        }
        String table = request.path("TableName").asText(null);
        boolean itemWrite = operation.equals("PutItem") || operation.equals("UpdateItem")
                || operation.equals("DeleteItem");
        ReentrantLock lock = null;
        String imageKey = null;
        JsonNode oldImage = null;
        if (itemWrite) {
            TableShape shape = shape(table);
            JsonNode key = operation.equals("PutItem") ? shape.keyOf(request.path("Item")) : request.path("Key");
            imageKey = table + "|" + shape.keyString(key);
            lock = itemLocks[Math.floorMod(imageKey.hashCode(), itemLocks.length)];
            lock.lock();
        }
        try {
            if (itemWrite) {
                oldImage = images.containsKey(imageKey) ? images.get(imageKey) : fetchItem(table, request, operation);
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!SKIPPED_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(v -> forward.header(name, v));
                }
            });
            HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (operation.equals("UpdateTable") || operation.equals("CreateTable") || operation.equals("DeleteTable")) {
                shapes.remove(String.valueOf(table)); // indexes may have been added (the KCL adds one after creating)
            }
            CallTally.OpTally op = tally.op(table == null ? "-" : table, operation);
            op.calls.increment();
            op.reported.add(reportedUnits(answer.path("ConsumedCapacity")));
            if (response.statusCode() == 200) {
                bill(operation, table, request, answer, op, imageKey, oldImage);
            } else {
                op.errors.increment();
                if (itemWrite && answer.path("__type").asText().endsWith("ConditionalCheckFailedException")) {
                    op.writeUnits.add(oldImage == null ? 1 : CapacityUnits.writeUnits(CapacityUnits.itemBytes(oldImage), 0));
                }
            }
            exchange.getResponseHeaders().clear();
            response.headers().map().forEach((name, values) -> {
                if (!SKIPPED_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            byte[] out = response.body();
            exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            }
        } finally {
            if (lock != null) {
                lock.unlock();
            }
        }
    }

    private void bill(String operation, String table, JsonNode request, JsonNode answer, CallTally.OpTally op, String imageKey,
                      JsonNode oldImage) throws Exception {
        boolean consistent = request.path("ConsistentRead").asBoolean(false);
        switch (operation) {
            case "GetItem" -> {
                JsonNode item = answer.path("Item");
                op.readUnits.add(CapacityUnits.readUnits(CapacityUnits.itemBytes(item), consistent));
                if (!request.has("ProjectionExpression") && !request.has("AttributesToGet")) {
                    String key = table + "|" + shape(table).keyString(request.path("Key"));
                    if (item.isMissingNode()) {
                        images.remove(key);
                    } else {
                        images.put(key, item);
                    }
                }
            }
            case "Scan", "Query" -> {
                long bytes = 0;
                for (JsonNode item : answer.path("Items")) {
                    bytes += CapacityUnits.itemBytes(item);
                }
                long count = answer.path("Count").asLong(0);
                long scanned = answer.path("ScannedCount").asLong(count);
                if (scanned > count || request.has("ProjectionExpression") || request.has("Select")) {
                    // A filter or projection hides what was read: DynamoDB Local's own figure stands in.
                    op.estimated.increment();
                    op.readUnits.add(reportedUnits(answer.path("ConsumedCapacity")));
                } else {
                    op.readUnits.add(CapacityUnits.readUnits(bytes, consistent));
                }
                op.items.add(count);
            }
            case "BatchGetItem" -> answer.path("Responses").fields().forEachRemaining(e -> {
                boolean strong = request.path("RequestItems").path(e.getKey()).path("ConsistentRead").asBoolean(false);
                for (JsonNode item : e.getValue()) {
                    op.readUnits.add(CapacityUnits.readUnits(CapacityUnits.itemBytes(item), strong));
                }
            });
            case "PutItem", "UpdateItem", "DeleteItem" -> {
                JsonNode newImage;
                if (operation.equals("PutItem")) {
                    newImage = request.path("Item");
                } else if (operation.equals("DeleteItem")) {
                    newImage = null;
                } else if ("ALL_NEW".equals(request.path("ReturnValues").asText())) {
                    newImage = answer.path("Attributes");
                } else {
                    newImage = fetchItem(table, request, operation);
                }
                long units = CapacityUnits.writeUnits(CapacityUnits.itemBytes(oldImage),
                        CapacityUnits.itemBytes(newImage));
                long indexUnits = 0;
                for (CapacityUnits.IndexShape index : shape(table).indexes()) {
                    indexUnits += CapacityUnits.indexWriteUnits(oldImage, newImage, index);
                }
                op.writeUnits.add(units + indexUnits);
                op.indexWriteUnits.add(indexUnits);
                if (newImage == null || newImage.isMissingNode()) {
                    images.remove(imageKey);
                } else {
                    images.put(imageKey, newImage);
                }
            }
            default -> {
                // Control-plane calls (CreateTable, DescribeTable, ...) are not billed in request units;
                // batch and transactional writes are billed at DynamoDB Local's own figure.
                if (WITH_CAPACITY.contains(operation)) {
                    op.estimated.increment();
                    op.writeUnits.add(reportedUnits(answer.path("ConsumedCapacity")));
                }
            }
        }
    }

    /** Sum of CapacityUnits in a ConsumedCapacity value (one object, or a list for batch calls). */
    private static double reportedUnits(JsonNode consumed) {
        if (consumed.isArray()) {
            double sum = 0;
            for (JsonNode c : consumed) {
                sum += c.path("CapacityUnits").asDouble(0);
            }
            return sum;
        }
        return consumed.path("CapacityUnits").asDouble(0);
    }

    /** The item's current image, read from DynamoDB Local directly (not billed, not counted). */
    private JsonNode fetchItem(String table, JsonNode request, String operation) throws Exception {
        JsonNode key = operation.equals("PutItem") ? shape(table).keyOf(request.path("Item")) : request.path("Key");
        ObjectNode get = JSON.createObjectNode();
        get.put("TableName", table);
        get.set("Key", key);
        get.put("ConsistentRead", true);
        JsonNode answer = call("GetItem", get);
        JsonNode item = answer.path("Item");
        return item.isMissingNode() ? null : item;
    }

    private TableShape shape(String table) throws Exception {
        TableShape shape = shapes.get(table);
        if (shape == null) {
            ObjectNode describe = JSON.createObjectNode();
            describe.put("TableName", table);
            shape = TableShape.of(call("DescribeTable", describe).path("Table"));
            shapes.put(table, shape);
        }
        return shape;
    }

    private JsonNode call(String operation, JsonNode request) throws Exception {
        HttpRequest http = HttpRequest.newBuilder(upstream).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", TARGET_PREFIX + operation)
                .header("X-Amz-Date", "20260101T000000Z")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=shardwisetest/20260101/us-east-1/dynamodb/"
                        + "aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request))).build();
        HttpResponse<byte[]> response = client.send(http, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("relay's own " + operation + " failed: "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return JSON.readTree(response.body());
    }

    /** A table's key attributes and global secondary indexes, from DescribeTable. */
    record TableShape(List<String> keyAttributes, List<CapacityUnits.IndexShape> indexes) {
        static TableShape of(JsonNode table) {
            List<String> keys = keyNames(table.path("KeySchema"));
            List<CapacityUnits.IndexShape> indexes = new ArrayList<>();
            for (JsonNode index : table.path("GlobalSecondaryIndexes")) {
                JsonNode projection = index.path("Projection");
                List<String> included = new ArrayList<>();
                projection.path("NonKeyAttributes").forEach(a -> included.add(a.asText()));
                indexes.add(new CapacityUnits.IndexShape(index.path("IndexName").asText(),
                        keyNames(index.path("KeySchema")), keys,
                        "ALL".equals(projection.path("ProjectionType").asText()), included));
            }
            return new TableShape(keys, indexes);
        }

        private static List<String> keyNames(JsonNode schema) {
            List<String> names = new ArrayList<>();
            schema.forEach(k -> names.add(k.path("AttributeName").asText()));
            return names;
        }

        JsonNode keyOf(JsonNode item) {
            ObjectNode key = JSON.createObjectNode();
            for (String name : keyAttributes) {
                key.set(name, item.path(name));
            }
            return key;
        }

        String keyString(JsonNode key) {
            return CapacityUnits.keyString(keyAttributes, key);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
