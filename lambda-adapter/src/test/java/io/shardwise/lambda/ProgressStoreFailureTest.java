package io.shardwise.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What the handler does when its progress store fails. */
class ProgressStoreFailureTest {

    private static final String FAIL_AT = KplEventFixtures.SEQ_A + "/2";

    private static List<String> run(ProgressStore store, List<String> seen) {
        return run(store, seen, EventLoader.loadKinesisEvent("events/kinesis-kpl-mixed.json"));
    }

    private static List<String> run(ProgressStore store, List<String> seen, KinesisEvent event) {
        StreamsEventResponse response = KinesisBatchHandler.forEachRecord((record, context) -> {
            seen.add(record.position().toString());
            if (record.position().toString().equals(FAIL_AT)) {
                throw new IllegalStateException("chosen failure");
            }
        }, KinesisBatchProcessor.builder().progressStore(store).build())
                .handleRequest(event, null);
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void anUnreadableStoreFailsTheInvocationBeforeAnyRecordRuns() {
        List<String> seen = new ArrayList<>();
        ProgressStore unreadable = new ProgressStore() {
            @Override
            public OptionalLong load(AggregateKey aggregate) {
                throw new IllegalStateException("table unavailable");
            }

            @Override
            public boolean save(AggregateKey aggregate, long subSequenceNumber) {
                throw new AssertionError("no save expected");
            }
        };
        // A replay starts with the aggregate Lambda resumes from: its progress is read first.
        KinesisEvent replay = EventLoader.loadKinesisEvent("events/kinesis-kpl-mixed.json");
        replay.setRecords(new ArrayList<>(replay.getRecords().subList(1, replay.getRecords().size())));
        assertThatThrownBy(() -> run(unreadable, seen, replay)).hasMessage("table unavailable");
        assertThat(seen).isEmpty();
    }

    @Test
    void anUnwritableStoreStillReportsTheFailure() {
        List<String> seen = new ArrayList<>();
        List<String> attempted = new ArrayList<>();
        ProgressStore unwritable = new ProgressStore() {
            @Override
            public OptionalLong load(AggregateKey aggregate) {
                return OptionalLong.empty();
            }

            @Override
            public boolean save(AggregateKey aggregate, long subSequenceNumber) {
                attempted.add(aggregate.sequenceNumber() + "/" + subSequenceNumber);
                throw new IllegalStateException("throttled");
            }
        };
        assertThat(run(unwritable, seen)).containsExactly(KplEventFixtures.SEQ_A);
        assertThat(attempted).containsExactly(KplEventFixtures.SEQ_A + "/1");
    }

    @Test
    void nothingIsSavedWhenTheFailureIsTheFirstSubRecordOfItsAggregate() {
        List<Long> saved = new ArrayList<>();
        ProgressStore recording = new ProgressStore() {
            @Override
            public OptionalLong load(AggregateKey aggregate) {
                return OptionalLong.empty();
            }

            @Override
            public boolean save(AggregateKey aggregate, long subSequenceNumber) {
                saved.add(subSequenceNumber);
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
