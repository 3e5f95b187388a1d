package io.shardwise.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the handler does when its progress store fails. */
class ProgressStoreFailureTest {

    private static final String FAIL_AT = KplEventFixtures.SEQ_A + "/2";

    private static List<String> run(ProgressStore store, List<String> seen) {
        StreamsEventResponse response = KinesisBatchHandler.forEachRecord((record, context) -> {
            seen.add(record.position().toString());
            if (record.position().toString().equals(FAIL_AT)) {
                throw new IllegalStateException("chosen failure");
            }
        }, KinesisBatchProcessor.builder().progressStore(store).build())
                .handleRequest(EventLoader.loadKinesisEvent("events/kinesis-kpl-mixed.json"), null);
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void anUnreadableStoreFailsTheInvocationBeforeTheAggregateRuns() {
        List<String> seen = new ArrayList<>();
        ProgressStore unreadable = new ProgressStore() {
            @Override
            public Optional<RecordPosition> load(String arn, String shardId) {
                throw new IllegalStateException("table unavailable");
            }

            @Override
            public boolean save(String arn, String shardId, RecordPosition position) {
                throw new AssertionError("no save expected");
            }
        };
        assertThatThrownBy(() -> run(unreadable, seen)).hasMessage("table unavailable");
        assertThat(seen).containsExactly(KplEventFixtures.SEQ_PLAIN_1 + "/0");
    }

    @Test
    void anUnwritableStoreStillReportsTheFailure() {
        List<String> seen = new ArrayList<>();
        List<RecordPosition> attempted = new ArrayList<>();
        ProgressStore unwritable = new ProgressStore() {
            @Override
            public Optional<RecordPosition> load(String arn, String shardId) {
                return Optional.empty();
            }

            @Override
            public boolean save(String arn, String shardId, RecordPosition position) {
                attempted.add(position);
                throw new IllegalStateException("throttled");
            }
        };
        assertThat(run(unwritable, seen)).containsExactly(KplEventFixtures.SEQ_A);
        assertThat(attempted).containsExactly(new RecordPosition(KplEventFixtures.SEQ_A, 1));
    }

    @Test
    void nothingIsSavedWhenTheFailureIsTheFirstSubRecordOfItsAggregate() {
        List<RecordPosition> saved = new ArrayList<>();
        ProgressStore recording = new ProgressStore() {
            @Override
            public Optional<RecordPosition> load(String arn, String shardId) {
                return Optional.empty();
            }

            @Override
            public boolean save(String arn, String shardId, RecordPosition position) {
                saved.add(position);
                return true;
            }
        };
        StreamsEventResponse response = KinesisBatchHandler.forEachRecord((record, context) -> {
            if (record.sequenceNumber().equals(KplEventFixtures.SEQ_B)) {
                throw new IllegalStateException("chosen failure");
            }
        }, KinesisBatchProcessor.builder().progressStore(recording).build())
                .handleRequest(EventLoader.loadKinesisEvent("events/kinesis-kpl-mixed.json"), null);
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(saved).isEmpty();
    }
}
