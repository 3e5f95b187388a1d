package io.shardwise.testkit.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Record;

class EventSourceEventsTest {

    private static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders";
    private final EventSourceEvents events = new EventSourceEvents(ARN, "eu-west-1", "arn:aws:iam::123456789012:role/fn");

    private static Record record(String key, String seq, String data, Instant arrival) {
        return Record.builder().partitionKey(key).sequenceNumber(seq)
                .data(SdkBytes.fromString(data, StandardCharsets.UTF_8)).approximateArrivalTimestamp(arrival).build();
    }

    @Test
    void eventJsonHasLambdasFieldsAndRoundTripsThroughTheRuntimeSerializer() throws Exception {
        Instant arrival = Instant.parse("2024-05-01T10:15:30.123Z");
        String json = events.eventJson("shardId-000000000003",
                List.of(record("k1", "49590338271490256608559692538361571095921575989136588898", "hello", arrival),
                        record("k2", "49590338271490256608559692538361571095921575989136588899", "world", arrival)));

        JsonNode first = new ObjectMapper().readTree(json).get("Records").get(0);
        assertThat(first.get("eventSource").asText()).isEqualTo("aws:kinesis");
        assertThat(first.get("eventName").asText()).isEqualTo("aws:kinesis:record");
        assertThat(first.get("eventVersion").asText()).isEqualTo("1.0");
        assertThat(first.get("eventID").asText())
                .isEqualTo("shardId-000000000003:49590338271490256608559692538361571095921575989136588898");
        assertThat(first.get("awsRegion").asText()).isEqualTo("eu-west-1");
        assertThat(first.get("eventSourceARN").asText()).isEqualTo(ARN);
        assertThat(first.get("invokeIdentityArn").asText()).isEqualTo("arn:aws:iam::123456789012:role/fn");
        assertThat(first.get("kinesis").get("kinesisSchemaVersion").asText()).isEqualTo("1.0");
        assertThat(first.get("kinesis").get("data").asText()).isEqualTo("aGVsbG8=");
        assertThat(first.get("kinesis").get("approximateArrivalTimestamp").decimalValue())
                .isEqualByComparingTo("1714558530.123");

        KinesisEvent event = events.event(json);
        assertThat(event.getRecords()).hasSize(2);
        KinesisEvent.KinesisEventRecord r = event.getRecords().get(1);
        assertThat(r.getEventID()).isEqualTo("shardId-000000000003:49590338271490256608559692538361571095921575989136588899");
        assertThat(r.getEventSourceARN()).isEqualTo(ARN);
        assertThat(r.getKinesis().getPartitionKey()).isEqualTo("k2");
        assertThat(StandardCharsets.UTF_8.decode(r.getKinesis().getData()).toString()).isEqualTo("world");
        assertThat(r.getKinesis().getApproximateArrivalTimestamp().toInstant()).isEqualTo(arrival);
        assertThat(r.getKinesis().getKinesisSchemaVersion()).isEqualTo("1.0");
    }

    @Test
    void responseIsSerializedWithTheRuntimesFieldNames() {
        StreamsEventResponse response = new StreamsEventResponse(
                List.of(new StreamsEventResponse.BatchItemFailure("42")));
        assertThat(EventSourceEvents.responseJson(response)).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"42\"}]}");
        assertThat(EventSourceEvents.responseJson(null)).isEqualTo("null");
    }

    @Test
    void partialBatchResponsesAreReadAsTheMappingReadsThem() {
        Set<String> batch = Set.of("1", "2", "3");
        assertThat(EventSourceEvents.batchItemFailures("null", batch)).isEqualTo(EventSourceEvents.BatchItemFailures.none());
        assertThat(EventSourceEvents.batchItemFailures("{}", batch).identifiers()).isEmpty();
        assertThat(EventSourceEvents.batchItemFailures("{\"batchItemFailures\":[]}", batch).wholeBatchFailed()).isFalse();
        assertThat(EventSourceEvents.batchItemFailures("{\"batchItemFailures\":null}", batch).wholeBatchFailed()).isFalse();

        EventSourceEvents.BatchItemFailures two = EventSourceEvents.batchItemFailures(
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"3\"},{\"itemIdentifier\":\"2\"}]}", batch);
        assertThat(two.wholeBatchFailed()).isFalse();
        assertThat(two.identifiers()).containsExactly("3", "2");

        assertThat(EventSourceEvents.batchItemFailures("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}", batch)
                .wholeBatchFailed()).isTrue();
        assertThat(EventSourceEvents.batchItemFailures("{\"batchItemFailures\":[{}]}", batch).wholeBatchFailed()).isTrue();
        assertThat(EventSourceEvents.batchItemFailures("{\"batchItemFailures\":[{\"itemIdentifier\":\"9\"}]}", batch)
                .reason()).contains("9").contains("not in the batch");
        assertThat(EventSourceEvents.batchItemFailures("not json", batch).wholeBatchFailed()).isTrue();
    }
}
