package io.shardwise.kpl;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.producer.SendResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.producer.Attempt;
import software.amazon.kinesis.producer.UserRecord;
import software.amazon.kinesis.producer.UserRecordFailedException;
import software.amazon.kinesis.producer.UserRecordResult;

class KplResultsTest {
    private static final Instant ADDED = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void successCarriesShardSequenceNumberAndEveryAttemptWithKplDelays() {
        SendResult sent = new SendResult("shardId-000000000001", "4960000000000000001", 3, List.of(
                new io.shardwise.producer.Attempt(ADDED.plusMillis(120), Duration.ofMillis(30),
                        "ProvisionedThroughputExceededException", "Rate exceeded"),
                new io.shardwise.producer.Attempt(ADDED.plusMillis(400), Duration.ofMillis(25), null, null)));

        UserRecordResult result = KplResults.success(sent, ADDED);

        assertThat(result.isSuccessful()).isTrue();
        assertThat(result.getShardId()).isEqualTo("shardId-000000000001");
        assertThat(result.getSequenceNumber()).isEqualTo("4960000000000000001");
        List<Attempt> attempts = result.getAttempts();
        assertThat(attempts).hasSize(2);
        // The first delay runs from addUserRecord, the next ones from the end of the previous attempt.
        assertThat(attempts.get(0).getDelay()).isEqualTo(120);
        assertThat(attempts.get(0).getDuration()).isEqualTo(30);
        assertThat(attempts.get(0).isSuccessful()).isFalse();
        assertThat(attempts.get(0).getErrorCode()).isEqualTo("ProvisionedThroughputExceededException");
        assertThat(attempts.get(0).getErrorMessage()).isEqualTo("Rate exceeded");
        assertThat(attempts.get(1).getDelay()).isEqualTo(250);
        assertThat(attempts.get(1).getDuration()).isEqualTo(25);
        assertThat(attempts.get(1).isSuccessful()).isTrue();
        assertThat(attempts.get(1).getErrorCode()).isNull();
    }

    @Test
    void failureWithoutAttemptsGetsOneNamingTheError() {
        UserRecord record = new UserRecord("orders", "customer-42", ByteBuffer.wrap(new byte[] {1}));

        UserRecordFailedException failure = KplResults.failure(
                new java.util.concurrent.CompletionException(new IllegalStateException("producer closed")), ADDED, record);

        UserRecordResult result = failure.getResult();
        assertThat(result.isSuccessful()).isFalse();
        assertThat(result.getShardId()).isNull();
        assertThat(result.getSequenceNumber()).isNull();
        assertThat(result.getAttempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.isSuccessful()).isFalse();
            assertThat(attempt.getErrorCode()).isEqualTo("IllegalStateException");
            assertThat(attempt.getErrorMessage()).isEqualTo("producer closed");
        });
        assertThat(failure.getUserRecord()).isSameAs(record);
        assertThat(failure.getCause()).isInstanceOf(IllegalStateException.class);
    }
}
