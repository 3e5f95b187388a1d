package io.shardwise.testkit.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * The wire side of the local event source mapping: builds the event JSON as Lambda sends it,
 * turns it into the handler's {@link KinesisEvent} through aws-lambda-java-serialization (the
 * serializers the Java runtime uses), serializes the handler's answer the way the runtime does,
 * and reads the partial batch response from that JSON as the event source mapping does.
 */
final class EventSourceEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String streamArn;
    private final String region;
    private final String invokeIdentityArn;
    private final PojoSerializer<KinesisEvent> eventSerializer;
    private final PojoSerializer<KinesisTimeWindowEvent> windowEventSerializer;

    EventSourceEvents(String streamArn, String region, String invokeIdentityArn) {
        this.streamArn = streamArn;
        this.region = region;
        this.invokeIdentityArn = invokeIdentityArn;
        this.eventSerializer = LambdaEventSerializers.serializerFor(KinesisEvent.class,
                EventSourceEvents.class.getClassLoader());
        this.windowEventSerializer = LambdaEventSerializers.serializerFor(KinesisTimeWindowEvent.class,
                EventSourceEvents.class.getClassLoader());
    }

    /** The event JSON for a batch of one shard, field for field as Lambda builds it. */
    String eventJson(String shardId, List<Record> batch) {
        ObjectNode root = JSON.createObjectNode();
        addRecords(root, shardId, batch);
        return write(root);
    }

    /**
     * The event JSON of a tumbling-window invocation: the records, the window, the state carried
     * from the window's previous invocation, and whether this is the window's final invocation.
     */
    String windowEventJson(String shardId, List<Record> batch, Instant windowStart, Instant windowEnd,
                           Map<String, String> state, boolean finalInvoke) {
        ObjectNode root = JSON.createObjectNode();
        addRecords(root, shardId, batch);
        ObjectNode window = root.putObject("window");
        window.put("start", windowStart.toString());
        window.put("end", windowEnd.toString());
        ObjectNode stateNode = root.putObject("state");
        state.forEach(stateNode::put);
        root.put("shardId", shardId);
        root.put("eventSourceARN", streamArn);
        root.put("isFinalInvokeForWindow", finalInvoke);
        root.put("isWindowTerminatedEarly", false);
        return write(root);
    }

    private static String write(ObjectNode root) {
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a Kinesis event as JSON", e);
        }
    }

    private void addRecords(ObjectNode root, String shardId, List<Record> batch) {
        ArrayNode records = root.putArray("Records");
        for (Record r : batch) {
            ObjectNode item = records.addObject();
            ObjectNode kinesis = item.putObject("kinesis");
            kinesis.put("kinesisSchemaVersion", "1.0");
            kinesis.put("partitionKey", r.partitionKey());
            kinesis.put("sequenceNumber", r.sequenceNumber());
            kinesis.put("data", Base64.getEncoder().encodeToString(r.data().asByteArrayUnsafe()));
            // Epoch seconds with the milliseconds as a fraction, e.g. 1545084650.987.
            kinesis.put("approximateArrivalTimestamp",
                    BigDecimal.valueOf(r.approximateArrivalTimestamp().toEpochMilli(), 3));
            if (r.encryptionType() != null && !"NONE".equals(r.encryptionTypeAsString())) {
                kinesis.put("encryptionType", r.encryptionTypeAsString());
            }
            item.put("eventSource", "aws:kinesis");
            item.put("eventVersion", "1.0");
            item.put("eventID", shardId + ":" + r.sequenceNumber());
            item.put("eventName", "aws:kinesis:record");
            item.put("invokeIdentityArn", invokeIdentityArn);
            item.put("awsRegion", region);
            item.put("eventSourceARN", streamArn);
        }
    }

    /** The handler's input, deserialized as the Java runtime does. */
    KinesisEvent event(String json) {
        return eventSerializer.fromJson(json);
    }

    /** A tumbling-window handler's input, deserialized as the Java runtime does. */
    KinesisTimeWindowEvent windowEvent(String json) {
        return windowEventSerializer.fromJson(json);
    }

    /**
     * The state of a tumbling-window response, or null when the response has none (Lambda then
     * treats the invocation as failed). Values that are not strings keep their JSON text.
     */
    static Map<String, String> windowState(String responseJson) {
        JsonNode root;
        try {
            root = JSON.readTree(responseJson);
        } catch (JsonProcessingException e) {
            return null;
        }
        JsonNode state = root == null ? null : root.get("state");
        if (state == null || !state.isObject()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        state.fields().forEachRemaining(f -> out.put(f.getKey(),
                f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()));
        return out;
    }

    /** The handler's answer as JSON, serialized as the Java runtime does ("null" for null). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static String responseJson(Object response) {
        if (response == null) {
            return "null";
        }
        Class type = response.getClass();
        PojoSerializer serializer = LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, EventSourceEvents.class.getClassLoader())
                : JacksonFactory.getInstance().getSerializer(type);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(response, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads a partial batch response as the event source mapping does: no list, null or an empty
     * list means success; an identifier that is missing, empty or not in the batch means the whole
     * batch failed ({@link BatchItemFailures#wholeBatchFailed()}).
     */
    static BatchItemFailures batchItemFailures(String responseJson, Set<String> batchSequenceNumbers) {
        JsonNode root;
        try {
            root = JSON.readTree(responseJson);
        } catch (JsonProcessingException e) {
            return BatchItemFailures.wholeBatch("response is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return BatchItemFailures.none();
        }
        JsonNode failures = root.get("batchItemFailures");
        if (failures == null || failures.isNull() || (failures.isArray() && failures.isEmpty())) {
            return BatchItemFailures.none();
        }
        if (!failures.isArray()) {
            return BatchItemFailures.wholeBatch("batchItemFailures is not a list: " + failures);
        }
        List<String> identifiers = new ArrayList<>();
        for (JsonNode failure : failures) {
            JsonNode id = failure == null ? null : failure.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                return BatchItemFailures.wholeBatch("empty or missing itemIdentifier in " + failure);
            }
            if (!batchSequenceNumbers.contains(id.asText())) {
                return BatchItemFailures.wholeBatch("itemIdentifier " + id.asText() + " is not in the batch");
            }
            identifiers.add(id.asText());
        }
        return new BatchItemFailures(List.copyOf(identifiers), false, null);
    }

    /** What a partial batch response said. */
    record BatchItemFailures(List<String> identifiers, boolean wholeBatchFailed, String reason) {

        static BatchItemFailures none() {
            return new BatchItemFailures(List.of(), false, null);
        }

        static BatchItemFailures wholeBatch(String reason) {
            return new BatchItemFailures(List.of(), true, reason);
        }
    }
}
