package io.shardwise.lambda;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The Jackson side of {@link KinesisUserRecord#json(Class)}. Only this class names Jackson, and
 * the JVM loads it only when a handler asks for JSON, so Jackson stays optional.
 */
final class JsonPayload {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JsonPayload() {
    }

    static <T> T read(byte[] data, Class<T> type) throws IOException {
        return MAPPER.readValue(data, type);
    }

}
