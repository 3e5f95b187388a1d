package io.shardwise.aggregation;

import static io.shardwise.aggregation.Aggregates.utf8;
import static io.shardwise.aggregation.SchemaOracle.AGGREGATED_RECORD;
import static io.shardwise.aggregation.SchemaOracle.RECORD;
import static io.shardwise.aggregation.SchemaOracle.TAG;
import static io.shardwise.aggregation.SchemaOracle.field;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cross-checks our hand-written encoder and parser against protobuf-java's generic decoder. */
class WireFormatOracleTest {

    private static final List<UserRecord> RECORDS = List.of(
            new UserRecord("k1", null, utf8("first")),
            new UserRecord("k2", "42", new byte[0]),
            new UserRecord("k1", "42", utf8("third")),
            new UserRecord("\uD83D\uDE00 ü", HashKeys.MAX.toString(), new byte[300]));

    @Test
    void fieldNumbersAndWireTypesMatchTheSchema() throws Exception {
        byte[] message = Aggregates.message(Aggregates.aggregate(RECORDS).data());

        UnknownFieldSet fields = UnknownFieldSet.parseFrom(message);

        assertThat(fields.asMap().keySet()).containsExactly(1, 2, 3);
        assertThat(fields.getField(1).getLengthDelimitedList())
                .containsExactly(ByteString.copyFromUtf8("k1"), ByteString.copyFromUtf8("k2"),
                        ByteString.copyFromUtf8("\uD83D\uDE00 ü"));
        assertThat(fields.getField(2).getLengthDelimitedList())
                .containsExactly(ByteString.copyFromUtf8("42"), ByteString.copyFromUtf8(HashKeys.MAX.toString()));
        assertThat(fields.getField(3).getLengthDelimitedList()).hasSize(4);
        UnknownFieldSet last = UnknownFieldSet.parseFrom(fields.getField(3).getLengthDelimitedList().get(3));
        assertThat(last.getField(1).getVarintList()).containsExactly(2L);
        assertThat(last.getField(2).getVarintList()).containsExactly(1L);
        assertThat(last.getField(3).getLengthDelimitedList()).containsExactly(ByteString.copyFrom(new byte[300]));
        UnknownFieldSet second = UnknownFieldSet.parseFrom(fields.getField(3).getLengthDelimitedList().get(1));
        assertThat(second.getField(3).getLengthDelimitedList()).containsExactly(ByteString.EMPTY);
    }

    @Test
    void protobufsOwnDecoderReadsWhatWeEncode() throws Exception {
        byte[] message = Aggregates.message(Aggregates.aggregate(RECORDS).data());

        DynamicMessage parsed = DynamicMessage.parseFrom(AGGREGATED_RECORD, message); // checks required fields

        assertThat(parsed.isInitialized()).isTrue();
        assertThat(SchemaOracle.expectedRecords(message)).containsExactlyElementsOf(RECORDS);
        assertThat(parsed.getUnknownFields().asMap()).isEmpty();
    }

    @Test
    void weDecodeWhatProtobufsOwnEncoderWritesTagsIncluded() {
        DynamicMessage tag = DynamicMessage.newBuilder(TAG)
                .setField(field(TAG, 1), "color").setField(field(TAG, 2), "blue").build();
        DynamicMessage record0 = DynamicMessage.newBuilder(RECORD)
                .setField(field(RECORD, 1), 1L)
                .setField(field(RECORD, 3), ByteString.copyFromUtf8("zero"))
                .addRepeatedField(field(RECORD, 4), tag).build();
        DynamicMessage record1 = DynamicMessage.newBuilder(RECORD)
                .setField(field(RECORD, 1), 0L).setField(field(RECORD, 2), 0L)
                .setField(field(RECORD, 3), ByteString.copyFromUtf8("one")).build();
        DynamicMessage aggregate = DynamicMessage.newBuilder(AGGREGATED_RECORD)
                .addRepeatedField(field(AGGREGATED_RECORD, 1), "p0")
                .addRepeatedField(field(AGGREGATED_RECORD, 1), "p1")
                .addRepeatedField(field(AGGREGATED_RECORD, 2), "77")
                .addRepeatedField(field(AGGREGATED_RECORD, 3), record0)
                .addRepeatedField(field(AGGREGATED_RECORD, 3), record1).build();

        Deaggregation result = Deaggregator.deaggregate("a", null, Aggregates.frame(aggregate.toByteArray()), "1", null);

        assertThat(result.aggregated()).as(result.detail()).isTrue();
        assertThat(result.records()).containsExactly(
                new DeaggregatedRecord("p1", null, utf8("zero"), "1", 0, true, false),
                new DeaggregatedRecord("p0", "77", utf8("one"), "1", 1, true, false));
    }

    @Test
    void theShippedSchemaDeclaresTheSameFields() throws IOException {
        String proto;
        try (InputStream in = RecordAggregator.class.getResourceAsStream("messages.proto")) {
            assertThat(in).as("messages.proto resource").isNotNull();
            proto = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        }
        assertThat(proto).contains("syntax = \"proto2\";")
                .contains("repeated string partition_key_table = 1;")
                .contains("repeated string explicit_hash_key_table = 2;")
                .contains("repeated Record records = 3;")
                .contains("required uint64 partition_key_index = 1;")
                .contains("optional uint64 explicit_hash_key_index = 2;")
                .contains("required bytes data = 3;")
                .contains("repeated Tag tags = 4;")
                .contains("required string key = 1;")
                .contains("optional string value = 2;");
    }
}
