package io.shardwise.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultPutRecordsTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/x-amz-cbor-1.1", "application/x-amz-json-1.1"})
    void forwardsOnlyTheSurvivorsAndMergesTheAnswerInRequestOrder(String contentType) throws IOException {
        FaultPayloads payloads = FaultPayloads.forContentType(contentType);
        ObjectNode request = payloads.object().put("StreamName", "s");
        ArrayNode records = request.putArray("Records");
        for (int i = 0; i < 4; i++) {
            records.addObject().put("PartitionKey", "k" + i)
                    .put("Data", ("data-" + i).getBytes(StandardCharsets.UTF_8));
        }
        ((ObjectNode) records.get(3)).put("ExplicitHashKey", "99");
        FaultPutRecords put = FaultPutRecords.parse(payloads, payloads.write(request));
        BitSet failed = new BitSet();
        failed.set(1);
        failed.set(2);

        assertThat(put.size()).isEqualTo(4);
        assertThat(put.stream()).isEqualTo("s");
        assertThat(put.partitionKey(3)).isEqualTo("k3");
        assertThat(put.explicitHashKey(3)).isEqualTo("99");
        assertThat(put.explicitHashKey(0)).isNull();
        assertThat(put.dataLength(0)).isEqualTo(6);

        JsonNode forwarded = payloads.read(put.requestWithout(failed));
        assertThat(forwarded.get("StreamName").asText()).isEqualTo("s");
        assertThat(forwarded.get("Records")).hasSize(2);
        assertThat(forwarded.get("Records").get(0).get("PartitionKey").asText()).isEqualTo("k0");
        assertThat(forwarded.get("Records").get(1).get("Data").binaryValue())
                .isEqualTo("data-3".getBytes(StandardCharsets.UTF_8));

        // Upstream answers the two forwarded entries, one of them failed on its own.
        ObjectNode upstream = payloads.object().put("FailedRecordCount", 1).put("EncryptionType", "NONE");
        upstream.putArray("Records").add(payloads.object().put("SequenceNumber", "1").put("ShardId", "shardId-0"))
                .add(payloads.object().put("ErrorCode", "InternalFailure").put("ErrorMessage", "upstream"));
        JsonNode merged = payloads.read(put.mergedResponse(payloads.write(upstream), failed,
                new String[] {null, "throttled 1", "throttled 2", null}));

        assertThat(merged.get("FailedRecordCount").asInt()).isEqualTo(3);
        assertThat(merged.get("EncryptionType").asText()).isEqualTo("NONE");
        JsonNode entries = merged.get("Records");
        assertThat(entries).hasSize(4);
        assertThat(entries.get(0).get("SequenceNumber").asText()).isEqualTo("1");
        assertThat(entries.get(1).get("ErrorCode").asText()).isEqualTo("ProvisionedThroughputExceededException");
        assertThat(entries.get(1).get("ErrorMessage").asText()).isEqualTo("throttled 1");
        assertThat(entries.get(2).get("ErrorMessage").asText()).isEqualTo("throttled 2");
        assertThat(entries.get(3).get("ErrorCode").asText()).isEqualTo("InternalFailure");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-amz-cbor-1.1", "application/x-amz-json-1.1"})
    void answersByItselfWhenEveryEntryFailed(String contentType) throws IOException {
        FaultPayloads payloads = FaultPayloads.forContentType(contentType);
        ObjectNode request = payloads.object().put("StreamARN", "arn:aws:kinesis:us-east-1:000000000000:stream/s");
        request.putArray("Records").addObject().put("PartitionKey", "k").put("Data", new byte[] {1, 2, 3});
        FaultPutRecords put = FaultPutRecords.parse(payloads, payloads.write(request));
        BitSet all = new BitSet();
        all.set(0);

        JsonNode merged = payloads.read(put.mergedResponse(null, all, new String[] {"throttled"}));

        assertThat(put.stream()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/s");
        assertThat(merged.get("FailedRecordCount").asInt()).isEqualTo(1);
        assertThat(merged.get("Records").get(0).get("ErrorCode").asText())
                .isEqualTo("ProvisionedThroughputExceededException");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-amz-cbor-1.1", "application/x-amz-json-1.1"})
    void errorBodiesNameTheTypeInTheRequestsProtocol(String contentType) throws IOException {
        FaultPayloads payloads = FaultPayloads.forContentType(contentType);

        JsonNode error = payloads.read(payloads.error("ProvisionedThroughputExceededException", "Rate exceeded"));

        assertThat(payloads.contentType()).isEqualTo(contentType);
        assertThat(error.get("__type").asText()).isEqualTo("ProvisionedThroughputExceededException");
        assertThat(error.get("message").asText()).isEqualTo("Rate exceeded");
    }
}
