package io.shardwise.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwise.testkit.LocalEngines;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The idempotency helper against DynamoDB Local. */
class DynamoDbIdempotencyIT {

    /**
     * The real time: DynamoDB Local runs TTL deletion on its own clock, so claims must expire in its
     * future for the tests to see the helper's own expiry check rather than the sweeper.
     */
    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private final DynamoDbClient dynamo = LocalEngines.shared().dynamoDbClient();
    private String table;

    @BeforeEach
    void createTable() {
        table = LocalEngines.shared().uniqueName("idempotency");
        DynamoDbIdempotency.createTable(dynamo, table);
    }

    private DynamoDbIdempotency at(Instant now) {
        return DynamoDbIdempotency.builder(dynamo, table).timeToLive(Duration.ofMinutes(10))
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    private static KinesisUserRecord record(String sequence, long sub) {
        return new KinesisUserRecord(KplEventFixtures.ARN, KplEventFixtures.SHARD, "k", null, new byte[] {1},
                sequence, sub, NOW, true);
    }

    @Test
    void theTableExpiresItemsByExpiresAt() {
        assertThat(dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription())
                .satisfies(ttl -> {
                    assertThat(ttl.attributeName()).isEqualTo("expiresAt");
                    assertThat(ttl.timeToLiveStatus()).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
                });
    }

    @Test
    void anEffectRunsOncePerSubRecord() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        DynamoDbIdempotency idempotency = at(NOW);

        assertThat(idempotency.runOnce(record("100", 0), runs::incrementAndGet)).isTrue();
        assertThat(idempotency.runOnce(record("100", 0), runs::incrementAndGet)).isFalse();
        assertThat(idempotency.runOnce(record("100", 1), runs::incrementAndGet)).isTrue();
        assertThat(at(NOW.plusSeconds(599)).runOnce(record("100", 1), runs::incrementAndGet)).isFalse();
        assertThat(runs).hasValue(2);
    }

    @Test
    void aFailedEffectReleasesItsClaimSoTheRetryRuns() throws Exception {
        DynamoDbIdempotency idempotency = at(NOW);
        assertThatThrownBy(() -> idempotency.runOnce(record("200", 3), () -> {
            throw new IllegalStateException("downstream unavailable");
        })).hasMessage("downstream unavailable");

        AtomicInteger runs = new AtomicInteger();
        assertThat(idempotency.runOnce(record("200", 3), runs::incrementAndGet)).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void anExpiredClaimNoLongerGuards() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        assertThat(at(NOW).runOnce(record("300", 0), runs::incrementAndGet)).isTrue();
        assertThat(at(NOW.plusSeconds(601)).runOnce(record("300", 0), runs::incrementAndGet)).isTrue();
        assertThat(runs).hasValue(2);
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> DynamoDbIdempotency.builder(dynamo, " ")).hasMessageContaining("' '");
        assertThatThrownBy(() -> DynamoDbIdempotency.builder(dynamo, table).timeToLive(Duration.ofMillis(10)))
                .hasMessageContaining("PT0.01S");
    }
}
