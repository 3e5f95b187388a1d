package io.shardwise.kpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.common.util.concurrent.ListenableFuture;
import io.shardwise.producer.ProducerClosedException;
import io.shardwise.producer.RecordExpiredException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.kinesis.producer.Attempt;
import software.amazon.kinesis.producer.UserRecord;
import software.amazon.kinesis.producer.UserRecordFailedException;
import software.amazon.kinesis.producer.UserRecordResult;

/**
 * The adapter against an endpoint where nothing listens: every request fails to connect, so records
 * stay outstanding until their time to live runs out or the producer is destroyed.
 */
class ShardwiseKplProducerTest {
    private ShardwiseKplProducer kpl;

    @AfterEach
    void destroy() {
        if (kpl != null) {
            kpl.destroy();
        }
    }

    @Test
    void countsOutstandingRecordsOverStreamsAndDestroyFailsThemAsTheKplDoes() throws Exception {
        kpl = deadEndpoint(Duration.ofMinutes(5));
        ListenableFuture<UserRecordResult> first = kpl.addUserRecord("orders", "a", data("1"));
        ListenableFuture<UserRecordResult> second = kpl.addUserRecord("orders", "b", "12345", data("2"));
        ListenableFuture<UserRecordResult> third = kpl.addUserRecord(new UserRecord("payments", "c", data("3")));
        ListenableFuture<UserRecordResult> fourth = kpl.addUserRecord("payments", data("4"));

        assertThat(kpl.getOutstandingRecordsCount()).isEqualTo(4);

        kpl.destroy();

        assertThat(kpl.getOutstandingRecordsCount()).isZero();
        for (ListenableFuture<UserRecordResult> future : List.of(first, second, third, fourth)) {
            UserRecordFailedException failure = failureOf(future);
            assertThat(failure.getResult().isSuccessful()).isFalse();
            assertThat(failure.getCause()).isInstanceOf(ProducerClosedException.class);
            List<Attempt> attempts = failure.getResult().getAttempts();
            assertThat(attempts).isNotEmpty();
            assertThat(attempts.get(attempts.size() - 1).isSuccessful()).isFalse();
        }
        assertThat(failureOf(third).getUserRecord().getStreamName()).isEqualTo("payments");
        assertThatThrownBy(() -> kpl.addUserRecord("invoices", "d", data("5")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("destroyed");
        assertThat(failureOf(kpl.addUserRecord("orders", "e", data("6"))).getCause())
                .isInstanceOf(ProducerClosedException.class);
    }

    @Test
    void anExpiredRecordFailsWithItsAttemptsEndingInExpired() throws Exception {
        kpl = deadEndpoint(Duration.ofMillis(300));
        ListenableFuture<UserRecordResult> future = kpl.addUserRecord("orders", "a", data("1"));

        kpl.flushSync();

        assertThat(kpl.getOutstandingRecordsCount()).isZero();
        UserRecordFailedException failure = failureOf(future);
        assertThat(failure.getCause()).isInstanceOf(RecordExpiredException.class);
        List<Attempt> attempts = failure.getResult().getAttempts();
        assertThat(attempts).allMatch(attempt -> !attempt.isSuccessful());
        assertThat(attempts.get(attempts.size() - 1).getErrorCode()).isEqualTo(KplResults.EXPIRED);
        assertThat(kpl.getOldestRecordTimeInMillis()).isZero();
    }

    @Test
    void rejectsWhatTheKplRejectsByThrowing() {
        kpl = deadEndpoint(Duration.ofMinutes(5));

        assertThatThrownBy(() -> kpl.addUserRecord("orders", "k".repeat(257), data("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
        assertThatThrownBy(() -> kpl.addUserRecord("orders", "k", "2" + "0".repeat(40), data("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("explicitHashKey");
        assertThatThrownBy(() -> kpl.addUserRecord("orders", "k", ByteBuffer.allocate(1024 * 1024 + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kpl.addUserRecord("orders", null, data("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitionKey");
        assertThatThrownBy(() -> kpl.addUserRecord(" ", "k", data("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream");
        assertThat(kpl.getOutstandingRecordsCount()).isZero();
    }

    @Test
    void unsupportedMethodsSayWhatToUseInstead() {
        kpl = deadEndpoint(Duration.ofMinutes(5));

        assertThatThrownBy(() -> kpl.getMetrics()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("meterRegistry");
        assertThatThrownBy(() -> kpl.getMetrics("UserRecordsPut", 60)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("meterRegistry");
        assertThatThrownBy(() -> kpl.setStreamId("orders", "id")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("ARN");
        assertThatThrownBy(() -> kpl.addUserRecord("orders", "k", null, data("x"),
                new com.amazonaws.services.schemaregistry.common.Schema("{}", "AVRO", "s")))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("encode");
    }

    @Test
    void theDataIsReadWithoutMovingTheCallersBuffer() {
        kpl = deadEndpoint(Duration.ofMinutes(5));
        ByteBuffer data = data("payload");

        kpl.addUserRecord("orders", "k", data);

        assertThat(data.remaining()).isEqualTo(7);
    }

    private static UserRecordFailedException failureOf(ListenableFuture<UserRecordResult> future) {
        Throwable error = catchThrowable(future::get);
        assertThat(error).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UserRecordFailedException.class);
        return (UserRecordFailedException) error.getCause();
    }

    private static ShardwiseKplProducer deadEndpoint(Duration recordTtl) {
        return ShardwiseKplProducer.builder()
                .endpoint(URI.create("http://127.0.0.1:" + closedPort()))
                .region(Region.US_EAST_1)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
                .producerOptions(options -> options.recordTtl(recordTtl)
                        .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(50)))
                .build();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static ByteBuffer data(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
