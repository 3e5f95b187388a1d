package io.shardwise.testkit.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Bodies in the protocol of the request they answer: the SDK sends CBOR
 * ({@code application/x-amz-cbor-1.1}) by default and JSON ({@code application/x-amz-json-1.1})
 * when CBOR is disabled. Jackson reads CBOR byte strings as binary nodes and writes them back as
 * byte strings, so a blob such as a record's Data keeps its type in both directions.
 */
final class FaultPayloads {

    static final String JSON_TYPE = "application/x-amz-json-1.1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

    private final ObjectMapper mapper;
    private final String contentType;

    private FaultPayloads(ObjectMapper mapper, String contentType) {
        this.mapper = mapper;
        this.contentType = contentType;
    }

    /** The codec for a request's Content-Type; JSON when absent. */
    static FaultPayloads forContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return new FaultPayloads(JSON, JSON_TYPE);
        }
        return new FaultPayloads(contentType.toLowerCase().contains("cbor") ? CBOR : JSON, contentType);
    }

    String contentType() {
        return contentType;
    }

    JsonNode read(byte[] body) throws IOException {
        return mapper.readTree(body);
    }

    byte[] write(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode " + contentType + " body", e);
        }
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    /** An AWS JSON-protocol error body: {"__type": type, "message": message}. */
    byte[] error(String type, String message) {
        return write(object().put("__type", type).put("message", message));
    }
}
