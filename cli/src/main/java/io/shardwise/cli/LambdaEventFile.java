package io.shardwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.aggregation.Deaggregation;
import io.shardwise.aggregation.Deaggregator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A Lambda Kinesis event ({@code {"Records":[{"kinesis":{"partitionKey","sequenceNumber","data"},
 * "eventID",...}]}}) unpacked into the JSON lines of {@code inspect}, each also naming the
 * {@code sequenceNumber} of the Kinesis record it came in.
 */
final class LambdaEventFile {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LambdaEventFile() {
    }

    static void inspect(Path file, PrintWriter out) {
        JsonNode event;
        try {
            event = MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new CliException("no such file: " + file);
        } catch (IOException e) {
            throw new CliException(file + ": not a JSON Lambda event (" + e.getMessage().lines().findFirst().orElse("")
                    + ")");
        }
        JsonNode records = event == null ? null : event.get("Records");
        if (records == null || !records.isArray()) {
            throw new CliException(file + ": not a Lambda Kinesis event (no \"Records\" array)");
        }
        for (int i = 0; i < records.size(); i++) {
            JsonNode kinesis = records.get(i).get("kinesis");
            String where = file + ": Records[" + i + "]";
            if (kinesis == null || !kinesis.isObject()) {
                throw new CliException(where + " has no \"kinesis\" object");
            }
            String partitionKey = text(kinesis, "partitionKey", where);
            String sequenceNumber = text(kinesis, "sequenceNumber", where);
            byte[] data;
            try {
                data = Base64.getDecoder().decode(text(kinesis, "data", where));
            } catch (IllegalArgumentException e) {
                throw new CliException(where + ".kinesis.data is not base64 (" + e.getMessage() + ")");
            }
            Deaggregation result = Deaggregator.deaggregate(partitionKey, null, data, sequenceNumber, null);
            for (DeaggregatedRecord record : result.records()) {
                ObjectNode json = JsonLines.object();
                json.put("partitionKey", record.partitionKey());
                json.put("explicitHashKey", record.explicitHashKey());
                json.put("data", JsonLines.base64(record.data()));
                json.put("subSequenceNumber", record.subSequenceNumber());
                json.put("aggregated", result.aggregated());
                if (!result.aggregated() && result.reason() != null) {
                    json.put("note", result.reason() + ": " + result.detail());
                }
                json.put("sequenceNumber", sequenceNumber);
                out.println(JsonLines.write(json));
            }
        }
        out.flush();
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new CliException(where + ".kinesis." + field + " must be a string");
        }
        return value.textValue();
    }
}
