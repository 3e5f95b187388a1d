package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORFactory;

/** The body the producer writes parses, with the SDK's own CBOR and JSON parsers, to the PutRecords document. */
class PutRecordsBodyTest {
    @Property(tries = 100)
    void cborAndJsonBodiesHoldEveryEntryAndTheStream(
            @ForAll @Size(min = 1, max = 40) List<@StringLength(min = 1, max = 256) String> keys,
            @ForAll @IntRange(min = 0, max = 70_000) int dataLength, @ForAll boolean byArn) throws IOException {
        List<PutRecordsBody.Entry> entries = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            byte[] data = new byte[i == 0 ? dataLength : i % 30];
            for (int b = 0; b < data.length; b++) {
                data[b] = (byte) (b * 31 + i);
            }
            entries.add(new PutRecordsBody.Entry(keys.get(i), i % 3 == 0 ? String.valueOf(i) + "12345678901234567890" : null, data));
        }
        String name = byArn ? null : "stream-\u00e9";
        String arn = byArn ? "arn:aws:kinesis:us-east-1:000000000000:stream/s" : null;

        Map<String, Object> cbor = parse(new CBORFactory(),
                new PutRecordsBody(new ArrayList<>(entries)).encode(PutRecordsBody.CBOR_CONTENT_TYPE, name, arn), false);
        Map<String, Object> json = parse(new JsonFactory(),
                new PutRecordsBody(new ArrayList<>(entries)).encode("application/x-amz-json-1.1", name, arn), true);

        for (Map<String, Object> document : List.of(cbor, json)) {
            assertThat(document.get("StreamName")).isEqualTo(name);
            assertThat(document.get("StreamARN")).isEqualTo(arn);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> records = (List<Map<String, Object>>) document.get("Records");
            assertThat(records).hasSize(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                assertThat(records.get(i).get("PartitionKey")).isEqualTo(entries.get(i).partitionKey());
                assertThat(records.get(i).get("ExplicitHashKey")).isEqualTo(entries.get(i).explicitHashKey());
                assertThat((byte[]) records.get(i).get("Data")).isEqualTo(entries.get(i).data());
            }
        }
    }

    /** The top-level map: strings, the Records array of maps, Data as bytes (base64 in JSON). */
    private static Map<String, Object> parse(JsonFactory factory, byte[] body, boolean base64Data) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        try (JsonParser parser = factory.createParser(body)) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (parser.nextToken() == JsonToken.START_ARRAY) {
                    List<Map<String, Object>> records = new ArrayList<>();
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        Map<String, Object> record = new LinkedHashMap<>();
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String name = parser.currentName();
                            parser.nextToken();
                            record.put(name, name.equals("Data")
                                    ? (base64Data ? Base64.getDecoder().decode(parser.getText()) : parser.getBinaryValue())
                                    : parser.getText());
                        }
                        records.add(record);
                    }
                    document.put(field, records);
                } else {
                    document.put(field, parser.getText());
                }
            }
            assertThat(parser.nextToken()).isNull();
        }
        return document;
    }
}
