package io.shardwise.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/** JSON Lines in and out: one compact object per line, fields in the documented order. */
final class JsonLines {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A record as an object: its components, in their order, are the keys. */
    static ObjectNode object(Record record) {
        return MAPPER.valueToTree(record);
    }

    /** Adds what every record line holds: partitionKey, explicitHashKey (null when there is none), data in base64. */
    static ObjectNode putRecord(ObjectNode json, String partitionKey, String explicitHashKey, byte[] data) {
        json.put("partitionKey", partitionKey);
        json.put("explicitHashKey", explicitHashKey);
        json.put("data", base64(data));
        return json;
    }

    static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    static ObjectNode read(int lineNumber, String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new CliException("line " + lineNumber + ": not JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new CliException("line " + lineNumber + ": expected a JSON object");
        }
        return object;
    }

    /** A required string field. */
    static String requiredText(int lineNumber, ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new CliException("line " + lineNumber + ": \"" + field + "\" must be a string");
        }
        return value.textValue();
    }

    /** An optional string field: absent or null gives null. */
    static String optionalText(int lineNumber, ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new CliException("line " + lineNumber + ": \"" + field + "\" must be a string or null");
        }
        return value.textValue();
    }

    static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }
}
