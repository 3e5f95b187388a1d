package io.shardwise.lambda;

import static io.shardwise.lambda.KplEventFixtures.ARN;
import static io.shardwise.lambda.KplEventFixtures.SEQ_A;
import static io.shardwise.lambda.KplEventFixtures.SEQ_B;
import static io.shardwise.lambda.KplEventFixtures.SEQ_CORRUPT;
import static io.shardwise.lambda.KplEventFixtures.SEQ_PLAIN_1;
import static io.shardwise.lambda.KplEventFixtures.SEQ_PLAIN_2;
import static io.shardwise.lambda.KplEventFixtures.SHARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KinesisBatchHandlerTest {

    private static final Instant ARRIVAL = Instant.ofEpochMilli(KplEventFixtures.ARRIVAL_MILLIS);

    /** Records every user record it sees; fails those whose (sequence, sub-sequence) is listed. */
    private static final class RecordingHandler extends KinesisBatchHandler {
        final List<KinesisUserRecord> seen = new ArrayList<>();
        final Set<String> failAt;

        RecordingHandler(FailureMode mode, String... failAt) {
            super(KinesisBatchProcessor.builder().failureMode(mode).build());
            this.failAt = Set.of(failAt);
        }

        @Override
        protected void handleRecord(KinesisUserRecord record, com.amazonaws.services.lambda.runtime.Context context) {
            seen.add(record);
            if (failAt.contains(record.sequenceNumber() + "/" + record.subSequenceNumber())) {
                throw new IllegalStateException("chosen failure at " + record.position());
            }
        }

        List<String> positions() {
            return seen.stream().map(r -> r.position().toString()).toList();
        }
    }

    private static KinesisEvent mixed() {
        return EventLoader.loadKinesisEvent("events/kinesis-kpl-mixed.json");
    }

    private static List<String> failures(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void deaggregatesEveryRecordInOrderAndPassesPlainAndCorruptRecordsThrough() {
        RecordingHandler handler = new RecordingHandler(FailureMode.STOP_AT_FIRST_FAILURE);
        StreamsEventResponse response = handler.handleRequest(mixed(), null);

        assertThat(response.getBatchItemFailures()).isNotNull().isEmpty();
        assertThat(handler.seen)
                .extracting(KinesisUserRecord::partitionKey, KinesisUserRecord::sequenceNumber,
                        KinesisUserRecord::subSequenceNumber, KinesisUserRecord::aggregated)
                .containsExactly(
                        tuple("plain-1", SEQ_PLAIN_1, 0L, false),
                        tuple("order-1", SEQ_A, 0L, true), tuple("order-2", SEQ_A, 1L, true),
                        tuple("order-3", SEQ_A, 2L, true), tuple("order-4", SEQ_A, 3L, true),
                        tuple("plain-2", SEQ_PLAIN_2, 0L, false),
                        tuple("a", SEQ_CORRUPT, 0L, false),
                        tuple("order-5", SEQ_B, 0L, true), tuple("order-6", SEQ_B, 1L, true),
                        tuple("order-7", SEQ_B, 2L, true));
        assertThat(handler.seen).allSatisfy(r -> {
            assertThat(r.shardId()).isEqualTo(SHARD);
            assertThat(r.eventSourceArn()).isEqualTo(ARN);
            assertThat(r.approximateArrivalTimestamp()).isEqualTo(ARRIVAL);
            assertThat(r.explicitHashKey()).isNull();
        });
        assertThat(handler.seen.get(1).text()).isEqualTo(KplEventFixtures.order(1));
        assertThat(handler.seen.get(0).text()).isEqualTo("plain one");
        assertThat(handler.seen.get(6).data()).isEqualTo(KplEventFixtures.corruptAggregate());
    }

    @Test
    void plainEventsWorkUnchanged() {
        RecordingHandler handler = new RecordingHandler(FailureMode.STOP_AT_FIRST_FAILURE);
        StreamsEventResponse response = handler.handleRequest(EventLoader.loadKinesisEvent("events/kinesis-plain.json"), null);
        assertThat(failures(response)).isEmpty();
        assertThat(handler.seen).extracting(KinesisUserRecord::text).containsExactly("plain one", "plain two");
    }

    @Test
    void stopModeReportsTheParentOfTheFailedSubRecordAndRunsNothingAfterIt() {
        RecordingHandler handler = new RecordingHandler(FailureMode.STOP_AT_FIRST_FAILURE, SEQ_A + "/2", SEQ_B + "/0");
        StreamsEventResponse response = handler.handleRequest(mixed(), null);

        assertThat(failures(response)).containsExactly(SEQ_A);
        assertThat(handler.positions()).containsExactly(SEQ_PLAIN_1 + "/0", SEQ_A + "/0", SEQ_A + "/1", SEQ_A + "/2");
    }

    @Test
    void continueModeRunsEverythingAndReportsEachFailedParentOnce() {
        RecordingHandler handler = new RecordingHandler(FailureMode.CONTINUE,
                SEQ_A + "/1", SEQ_A + "/3", SEQ_CORRUPT + "/0", SEQ_B + "/2");
        StreamsEventResponse response = handler.handleRequest(mixed(), null);

        assertThat(failures(response)).containsExactly(SEQ_A, SEQ_CORRUPT, SEQ_B);
        assertThat(handler.seen).hasSize(10);
    }

    @Test
    void aFailedPlainOrCorruptRecordIsReportedByItsOwnSequenceNumber() {
        RecordingHandler handler = new RecordingHandler(FailureMode.STOP_AT_FIRST_FAILURE, SEQ_CORRUPT + "/0");
        assertThat(failures(handler.handleRequest(mixed(), null))).containsExactly(SEQ_CORRUPT);
        assertThat(handler.seen).hasSize(7);
    }

    @Test
    void theFunctionalFormRunsTheFunctionPerUserRecord() {
        List<Integer> orderIds = new ArrayList<>();
        RequestHandler<KinesisEvent, StreamsEventResponse> handler = KinesisBatchHandler.forEachRecord(
                (record, context) -> {
                    if (record.aggregated()) {
                        orderIds.add(record.json(Order.class).orderId());
                    }
                });
        assertThat(failures(handler.handleRequest(mixed(), null))).isEmpty();
        assertThat(orderIds).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    record Order(int orderId, int amount) {
    }

    @Test
    void jsonOfANonJsonPayloadNamesTheRecordAndTheType() {
        List<Throwable> errors = new ArrayList<>();
        RequestHandler<KinesisEvent, StreamsEventResponse> handler = KinesisBatchHandler.forEachRecord(
                (record, context) -> {
                    try {
                        record.json(Order.class);
                    } catch (PayloadFormatException e) {
                        errors.add(e);
                        throw e;
                    }
                });
        assertThat(failures(handler.handleRequest(mixed(), null))).containsExactly(SEQ_PLAIN_1);
        assertThat(errors).singleElement().extracting(Throwable::getMessage).asString()
                .contains(SHARD, SEQ_PLAIN_1 + "/0", Order.class.getName());
    }

    @Test
    void anEventRecordWithoutSequenceNumberFailsTheInvocationBeforeAnyRecordRuns() {
        KinesisEvent event = mixed();
        event.getRecords().get(3).getKinesis().setSequenceNumber("");
        RecordingHandler handler = new RecordingHandler(FailureMode.STOP_AT_FIRST_FAILURE);

        assertThatThrownBy(() -> handler.handleRequest(event, null))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("event record 3");
        assertThat(handler.seen).isEmpty();
    }

    @Test
    void anEmptyOrNullEventSucceedsWithAnEmptyList() {
        RecordingHandler handler = new RecordingHandler(FailureMode.STOP_AT_FIRST_FAILURE);
        assertThat(handler.handleRequest(new KinesisEvent(), null).getBatchItemFailures()).isNotNull().isEmpty();
        assertThat(handler.handleRequest(null, null).getBatchItemFailures()).isNotNull().isEmpty();
    }

    @Test
    void shardIdComesFromTheEventId() {
        assertThat(EventRecords.shardIdOf("shardId-000000000007:4959", null)).isEqualTo("shardId-000000000007");
        assertThat(EventRecords.shardIdOf(null, "fallback")).isEqualTo("fallback");
        assertThat(EventRecords.shardIdOf("no-colon", null)).isNull();
    }
}
