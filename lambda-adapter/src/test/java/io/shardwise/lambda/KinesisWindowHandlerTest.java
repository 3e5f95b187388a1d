package io.shardwise.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KinesisWindowHandlerTest {

    /** Counts user records and sums order amounts (non-JSON records count with amount 0). */
    private static final class CountingWindow extends KinesisWindowHandler {
        final String failAt;
        final List<Map<String, String>> ended = new ArrayList<>();

        CountingWindow(String failAt) {
            this.failAt = failAt;
        }

        @Override
        protected Map<String, String> aggregate(Map<String, String> state, KinesisUserRecord record, Context context) {
            if (record.position().toString().equals(failAt)) {
                throw new IllegalStateException("chosen failure");
            }
            int amount = record.aggregated() ? record.json(Order.class).amount() : 0;
            state.merge("count", "1", (a, b) -> Integer.toString(Integer.parseInt(a) + 1));
            state.merge("amount", Integer.toString(amount), (a, b) -> Integer.toString(Integer.parseInt(a) + Integer.parseInt(b)));
            return state;
        }

        @Override
        protected void windowEnded(Map<String, String> state, KinesisTimeWindowEvent event, Context context) {
            ended.add(Map.copyOf(state));
        }
    }

    record Order(int orderId, int amount) {
    }

    private static KinesisTimeWindowEvent load(String name) {
        return EventLoader.loadEvent("events/" + name, KinesisTimeWindowEvent.class);
    }

    @Test
    void foldsEveryUserRecordIntoTheCarriedState() {
        CountingWindow handler = new CountingWindow("none");
        TimeWindowEventResponse response = handler.handleRequest(load("kinesis-window.json"), null);

        // state in: count 10, amount 0; records: plain, aggregate of orders 1-4 (10+20+30+40), plain
        assertThat(response.getState()).containsEntry("count", "16").containsEntry("amount", "100");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(handler.ended).isEmpty();
    }

    @Test
    void aFailureInsideAnAggregateReturnsTheStateFromBeforeThatAggregate() {
        CountingWindow handler = new CountingWindow(KplEventFixtures.SEQ_A + "/2");
        TimeWindowEventResponse response = handler.handleRequest(load("kinesis-window.json"), null);

        assertThat(response.getBatchItemFailures()).extracting(TimeWindowEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(KplEventFixtures.SEQ_A);
        // only the first plain record counts: the replay of aggregate A starts from this state
        assertThat(response.getState()).containsEntry("count", "11").containsEntry("amount", "0");
    }

    @Test
    void theFinalInvocationHandsTheWindowsStateToWindowEnded() {
        CountingWindow handler = new CountingWindow("none");
        TimeWindowEventResponse response = handler.handleRequest(load("kinesis-window-final.json"), null);

        assertThat(handler.ended).containsExactly(Map.of("count", "15", "amount", "100"));
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @Test
    void aNullStateFromAggregateFailsTheRecordWithAClearMessage() {
        KinesisWindowHandler handler = new KinesisWindowHandler() {
            @Override
            protected Map<String, String> aggregate(Map<String, String> state, KinesisUserRecord record, Context c) {
                return null;
            }
        };
        TimeWindowEventResponse response = handler.handleRequest(load("kinesis-window.json"), null);
        assertThat(response.getBatchItemFailures()).extracting(TimeWindowEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(KplEventFixtures.SEQ_PLAIN_1);
        assertThat(response.getState()).containsEntry("count", "10");
    }

    @Test
    void aCheckedFailureInWindowEndedFailsTheInvocation() {
        KinesisWindowHandler handler = new KinesisWindowHandler() {
            @Override
            protected Map<String, String> aggregate(Map<String, String> state, KinesisUserRecord record, Context c) {
                return state;
            }

            @Override
            protected void windowEnded(Map<String, String> state, KinesisTimeWindowEvent event, Context context)
                    throws Exception {
                throw new java.io.IOException("sink down");
            }
        };
        assertThatThrownBy(() -> handler.handleRequest(load("kinesis-window-final.json"), null))
                .hasMessageContaining("2024-05-01T10:15:00Z").hasRootCauseMessage("sink down");
    }
}
