package io.shardwise.lambda;

import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /** The default time to live (8 days), which a timed-out claim must not hold the record for. */
    private DynamoDbIdempotency withDefaults(Instant now) {
        return DynamoDbIdempotency.builder(dynamo, table).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
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

    /**
     * An invocation that timed out inside the effect never released its claim. The retry, after
     * the invocation's time ran out, must run the effect (Powertools' in-progress expiry), not
     * skip the record for the whole time to live.
     */
    @Test
    void aTimedOutInvocationsClaimExpiresWithItsRemainingTime() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicBoolean retried = new AtomicBoolean();
        // The outer effect stands for the invocation that hangs until Lambda kills it; the retry
        // runs while its claim is still in the table, 16 minutes later (past any function timeout).
        withDefaults(NOW).runOnce(record("400", 0), () -> retried.set(
                withDefaults(NOW.plusSeconds(16 * 60)).runOnce(record("400", 0), runs::incrementAndGet)));
        assertThat(retried).as("the retry after the timeout ran the effect").isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void theClaimOfARunningInvocationLastsItsRemainingTimeAndFailsTheRecordMeanwhile() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        List<Throwable> whileRunning = new ArrayList<>();
        AtomicBoolean afterTimeout = new AtomicBoolean();
        at(NOW).runOnce(record("500", 1), KplEventFixtures.context(30_000), () -> {
            try {
                at(NOW.plusSeconds(29)).runOnce(record("500", 1), KplEventFixtures.context(60_000), runs::incrementAndGet);
            } catch (IdempotencyInProgressException e) {
                whileRunning.add(e);
            }
            afterTimeout.set(at(NOW.plusSeconds(31)).runOnce(record("500", 1), KplEventFixtures.context(60_000),
                    runs::incrementAndGet));
        });
        assertThat(whileRunning).singleElement().extracting(Throwable::getMessage).asString()
                .contains("500", "in progress");
        assertThat(afterTimeout).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void aCompletedEffectStaysGuardedForTheTimeToLive() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        assertThat(at(NOW).runOnce(record("600", 0), KplEventFixtures.context(1_000), runs::incrementAndGet)).isTrue();
        assertThat(at(NOW.plusSeconds(300)).runOnce(record("600", 0), KplEventFixtures.context(1_000),
                runs::incrementAndGet)).isFalse();
        assertThat(runs).hasValue(1);
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> DynamoDbIdempotency.builder(dynamo, " ")).hasMessageContaining("' '");
        assertThatThrownBy(() -> DynamoDbIdempotency.builder(dynamo, table).timeToLive(Duration.ofMillis(10)))
                .hasMessageContaining("PT0.01S");
    }
}
