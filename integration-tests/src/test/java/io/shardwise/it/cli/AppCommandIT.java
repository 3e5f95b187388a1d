package io.shardwise.it.cli;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.it.support.KclWorker;
import io.shardwise.it.support.PayloadCollector;
import io.shardwise.it.support.PayloadCollector.Checkpoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * {@code shardwise app describe / reset / watch}, run from the built jar, on a table written by a
 * Shardwise consumer and on one written by the real KCL 3.5.1: a "bug" is found after the records
 * were processed, the application is reset to a time in the middle, and exactly the records from
 * that time on are delivered again, in order per key (across a split for Shardwise).
 */
@ShardwiseTest
class AppCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Room on each side of the reset time, so no record's arrival time is near it. */
    private static final long MARGIN_MILLIS = 2_000;

    @Test
    @StreamShards(1)
    void shardwiseAppResetToATimeBeforeASplitRedeliversFromThereOnInOrder(LocalEngines engines, TestStream stream,
                                                                          LeaseTableName table) throws Exception {
        KinesisClient kinesis = engines.kinesisClient();
        List<String> early = AppRecords.write(kinesis, stream.name(), 0, 30);
        Thread.sleep(MARGIN_MILLIS);
        Instant resetTime = Instant.now();
        Thread.sleep(MARGIN_MILLIS);
        List<String> late = new ArrayList<>(AppRecords.write(kinesis, stream.name(), 30, 60));
        Shard parent = kinesis.listShards(b -> b.streamName(stream.name())).shards().get(0);
        kinesis.splitShard(b -> b.streamName(stream.name()).shardToSplit(parent.shardId())
                .newStartingHashKey("170141183460469231731687303715884105728"));
        await().atMost(TIMEOUT).until(() -> kinesis.listShards(b -> b.streamName(stream.name())).shards().size() == 3);
        late.addAll(AppRecords.write(kinesis, stream.name(), 60, 90));

        List<String> first = Collections.synchronizedList(new ArrayList<>());
        try (ShardwiseConsumer consumer = consumer(engines, stream, table, "first", first)) {
            consumer.start();
            await().atMost(TIMEOUT).until(() -> first.size() >= 90 && consumer.heldShards().size() == 2);

            JsonNode live = describe(engines, table, stream);
            assertThat(live.get("shards")).hasSize(3);
            JsonNode parentRow = shard(live, parent.shardId());
            assertThat(parentRow.get("state").asText()).isIn("finished", "closed");
            for (JsonNode row : live.get("shards")) {
                if (!row.get("shardId").asText().equals(parent.shardId())) {
                    assertThat(row.get("parentShardIds").get(0).asText()).isEqualTo(parent.shardId());
                    assertThat(row.get("state").asText()).isEqualTo("open");
                    assertThat(row.get("owner").asText()).isEqualTo("first");
                    assertThat(row.get("ownerLive").asBoolean()).isTrue();
                    // Shardwise stores the lag the owner's reads reported by its last checkpoint (none before the first).
                    assertThat(row.get("millisBehindLatest").isNumber() || row.get("millisBehindLatest").isNull())
                            .as(row.toString()).isTrue();
                    assertThat(row.get("checkpointAgeMillis").isNumber()).as(row.toString()).isTrue();
                }
            }
            assertThat(live.get("hashRangeCoverage").get("complete").asBoolean()).isTrue();
            JsonNode worker = live.get("workers").get(0);
            assertThat(worker.get("workerId").asText()).isEqualTo("first");
            assertThat(worker.get("kind").asText()).isEqualTo("shardwise");
            assertThat(worker.get("live").asBoolean()).isTrue();
            assertThat(worker.get("leaseCount").asInt()).isEqualTo(2);
            assertThat(worker.get("livenessAgeMillis").isNumber()).isTrue();

            JavaProcess.Result refused = app(engines, "reset", "--app", table.value(), "--stream", stream.name(),
                    "--to-timestamp", resetTime.toString(), "--execute");
            assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(1);
            assertThat(refused.err()).contains("refused").contains("first").contains("--force");

            JavaProcess.Result watch = app(engines, "watch", "--app", table.value(), "--interval", "1", "--count", "2");
            assertThat(watch.exitCode()).as(watch.err()).isZero();
            assertThat(watch.outLines()).hasSize(2).allSatisfy(l -> assertThat(l).contains("leases first=[")
                    .contains("lag by shard").contains("throughput"));
        }
        assertThat(AppRecords.byKey(first).values()).allSatisfy(n -> assertThat(AppRecords.ascending(n)).isTrue());

        Map<String, Map<String, AttributeValue>> beforeDryRun = leases(engines, table);
        JavaProcess.Result dryRun = appStopped(engines, "reset", "--app", table.value(), "--stream", stream.name(),
                "--to-timestamp", resetTime.toString());
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).contains("dry run: nothing written");
        assertThat(dryRun.outLines()).anyMatch(l -> l.startsWith(parent.shardId()));
        assertThat(leases(engines, table)).as("a dry run writes nothing").isEqualTo(beforeDryRun);

        JavaProcess.Result reset = appStopped(engines, "reset", "--app", table.value(), "--stream", stream.name(),
                "--to-timestamp", resetTime.toString(), "--execute");
        assertThat(reset.exitCode()).as(reset.out() + reset.err()).isZero();
        assertThat(reset.out()).contains("reset applied: 3 lease(s) written");
        Map<String, Map<String, AttributeValue>> after = leases(engines, table);
        assertThat(after.get(parent.shardId()).get("checkpoint").s()).as("the parent re-opens").matches("[0-9]+");
        after.forEach((key, item) -> {
            if (!key.equals(parent.shardId())) {
                assertThat(item.get("checkpoint").s()).as("children wait for the parent again").isEqualTo("TRIM_HORIZON");
            }
        });

        List<String> second = Collections.synchronizedList(new ArrayList<>());
        Map<String, ConsumerRecord> positions = new ConcurrentHashMap<>();
        try (ShardwiseConsumer consumer = consumer(engines, stream, table, "second", second, positions)) {
            consumer.start();
            await().atMost(TIMEOUT).until(() -> second.containsAll(late));
        }
        assertThat(second).as("the records from the reset time on, and only those")
                .containsExactlyInAnyOrderElementsOf(late).doesNotContainAnyElementsOf(early);
        assertThat(AppRecords.byKey(second)).allSatisfy((key, numbers) ->
                assertThat(AppRecords.ascending(numbers)).as(key + " in order: " + numbers).isTrue());

        // The other destinations. The last aggregate (key-0:87..89, sub-records 0..2) lies in one child.
        ConsumerRecord last = positions.get("key-0:89");
        JavaProcess.Result toSequence = appStopped(engines, "reset", "--app", table.value(), "--stream", stream.name(),
                "--shard", last.shardId(), "--to-sequence", last.sequenceNumber());
        assertThat(toSequence.exitCode()).as(toSequence.err()).isZero();
        assertThat(toSequence.outLines()).as("a whole record: its last user record")
                .anyMatch(l -> l.startsWith(last.shardId()) && l.contains(" " + last.sequenceNumber() + "/2"));
        JavaProcess.Result wrongShard = appStopped(engines, "reset", "--app", table.value(), "--stream", stream.name(),
                "--shard", parent.shardId(), "--to-sequence", last.sequenceNumber());
        assertThat(wrongShard.exitCode()).isEqualTo(1);
        assertThat(wrongShard.err()).contains(last.sequenceNumber()).contains(parent.shardId());

        JavaProcess.Result trimHorizon = appStopped(engines, "reset", "--app", table.value(), "--stream", stream.name(),
                "--to-trim-horizon");
        assertThat(trimHorizon.exitCode()).as(trimHorizon.err()).isZero();
        assertThat(trimHorizon.outLines().stream().filter(l -> l.startsWith("shardId-")))
                .hasSize(3).allSatisfy(l -> assertThat(l).contains("TRIM_HORIZON"));

        JavaProcess.Result latest = appStopped(engines, "reset", "--app", table.value(), "--stream", stream.name(),
                "--to-latest", "--execute");
        assertThat(latest.exitCode()).as(latest.out() + latest.err()).isZero();
        Map<String, Map<String, AttributeValue>> atLatest = leases(engines, table);
        assertThat(atLatest.get(parent.shardId()).get("checkpoint").s()).isEqualTo("SHARD_END");
        assertThat(atLatest.get(last.shardId()).get("checkpoint").s()).isEqualTo(last.sequenceNumber());
        assertThat(atLatest.get(last.shardId()).get("checkpointSubSequenceNumber").n()).isEqualTo("2");

        JavaProcess.Result text = appStopped(engines, "describe", "--app", table.value(), "--stream", stream.name());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.outLines()).anyMatch(l -> l.startsWith("SHARD ") && l.contains("CHECKPOINT"))
                .anyMatch(l -> l.startsWith(last.shardId()) && l.contains(last.sequenceNumber() + "/2"))
                .contains("hash-range coverage: complete (2 unfinished leases)");

        JavaProcess.Result badTime = appStopped(engines, "reset", "--app", table.value(), "--stream", stream.name(),
                "--to-timestamp", "yesterday");
        assertThat(badTime.exitCode()).isEqualTo(1);
        assertThat(badTime.errLines()).containsExactly("shardwise app reset: --to-timestamp yesterday: expected an ISO time"
                + " like 2025-01-31T12:00:00Z");
        JavaProcess.Result future = appStopped(engines, "reset", "--app", table.value(), "--stream", stream.name(),
                "--to-timestamp", "2999-01-01T00:00:00Z");
        assertThat(future.exitCode()).isEqualTo(1);
        assertThat(future.errLines()).containsExactly("shardwise app reset: --to-timestamp 2999-01-01T00:00:00Z is in the"
                + " future (Kinesis refuses it); for the newest records use --to-latest");
    }

    @Test
    @StreamShards(2)
    void kclWrittenTableIsDescribedAndResetToATime(LocalEngines engines, TestStream stream, LeaseTableName table)
            throws Exception {
        KinesisClient kinesis = engines.kinesisClient();
        List<String> early = AppRecords.write(kinesis, stream.name(), 0, 40);
        Thread.sleep(MARGIN_MILLIS);
        Instant resetTime = Instant.now();
        Thread.sleep(MARGIN_MILLIS);
        List<String> late = AppRecords.write(kinesis, stream.name(), 40, 80);

        List<String> first = Collections.synchronizedList(new ArrayList<>());
        try (KclWorker kcl = new KclWorker(engines, stream.name(), table.value(), "kcl-first",
                () -> new PayloadCollector(first, Checkpoints.ALWAYS))) {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> first.size() >= 80);
            await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> checkpointsPast(engines, table));
            // The KCL reports its worker metrics every 30 s.
            await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> kclMetricsReported(engines, table));

            JsonNode live = describe(engines, table, stream);
            assertThat(live.get("shards")).hasSize(2).allSatisfy(row -> {
                assertThat(row.get("owner").asText()).isEqualTo("kcl-first");
                assertThat(row.get("ownerLive").asBoolean()).as("its lease counters move").isTrue();
                assertThat(row.get("checkpoint").asText()).matches("[0-9]+/[0-9]+");
                assertThat(row.get("millisBehindLatest").isNull()).as("the KCL reports no lag: unknown").isTrue();
            });
            assertThat(live.get("hashRangeCoverage").get("complete").asBoolean()).isTrue();
            JsonNode worker = null;
            for (JsonNode w : live.get("workers")) {
                if (w.get("workerId").asText().equals("kcl-first")) {
                    worker = w;
                }
            }
            assertThat(worker).as(live.toString()).isNotNull();
            assertThat(worker.get("live").asBoolean()).isTrue();
            assertThat(worker.get("leaseCount").asInt()).isEqualTo(2);
            assertThat(worker.get("kind").asText()).as("found in <app>-WorkerMetricStats").isEqualTo("kcl");
            assertThat(worker.get("livenessAgeMillis").isNumber()).as("its lut").isTrue();

            JavaProcess.Result refused = app(engines, "reset", "--app", table.value(), "--stream", stream.name(),
                    "--to-timestamp", resetTime.toString(), "--execute");
            assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(1);
            assertThat(refused.err()).contains("refused").contains("kcl-first");
        }

        JavaProcess.Result reset = appStopped(engines, "reset", "--app", table.value(), "--stream", stream.name(),
                "--to-timestamp", resetTime.toString(), "--execute");
        assertThat(reset.exitCode()).as(reset.out() + reset.err()).isZero();
        assertThat(reset.out()).contains("reset applied: 2 lease(s) written");

        List<String> second = Collections.synchronizedList(new ArrayList<>());
        try (KclWorker kcl = new KclWorker(engines, stream.name(), table.value(), "kcl-second",
                () -> new PayloadCollector(second, Checkpoints.ALWAYS))) {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> second.containsAll(late));
        }
        assertThat(second).as("the KCL resumes at the reset checkpoints: the records from the time on, only those")
                .containsExactlyInAnyOrderElementsOf(late).doesNotContainAnyElementsOf(early);
        assertThat(AppRecords.byKey(second)).allSatisfy((key, numbers) ->
                assertThat(AppRecords.ascending(numbers)).as(key + " in order: " + numbers).isTrue());
    }

    private static ShardwiseConsumer consumer(LocalEngines engines, TestStream stream, LeaseTableName table,
                                              String workerId, List<String> into) {
        return consumer(engines, stream, table, workerId, into, new ConcurrentHashMap<>());
    }

    private static ShardwiseConsumer consumer(LocalEngines engines, TestStream stream, LeaseTableName table,
                                              String workerId, List<String> into, Map<String, ConsumerRecord> byPayload) {
        return ShardwiseConsumer.builder().applicationName(table.value()).streamName(stream.name())
                .kinesisClient(engines.kinesisAsyncClient()).dynamoDbClient(engines.dynamoDbClient())
                .workerId(workerId).initialPosition(InitialPosition.trimHorizon())
                .recordHandler(r -> {
                    String payload = new String(r.data(), StandardCharsets.UTF_8);
                    byPayload.put(payload, r);
                    into.add(payload);
                }).build();
    }

    private static JavaProcess.Result app(LocalEngines engines, String... args) {
        List<String> command = new ArrayList<>(List.of("app"));
        command.addAll(List.of(args));
        return JavaProcess.run(JavaProcess.withEngines(JavaProcess.shardwise(command.toArray(String[]::new)), engines),
                "", TIMEOUT);
    }

    /**
     * {@link #app} while no worker of the application runs: nothing can be live, so a 1 s liveness sample
     * judges as the default 4 s does (the commands run while a worker is live keep the default).
     */
    private static JavaProcess.Result appStopped(LocalEngines engines, String... args) {
        List<String> sampled = new ArrayList<>(List.of(args));
        sampled.addAll(List.of("--sample", "1"));
        return app(engines, sampled.toArray(String[]::new));
    }

    private static JsonNode describe(LocalEngines engines, LeaseTableName table, TestStream stream) throws Exception {
        JavaProcess.Result run = app(engines, "describe", "--app", table.value(), "--stream", stream.name(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(1);
        JsonNode doc = JSON.readTree(run.out());
        List<String> keys = new ArrayList<>();
        doc.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("application", "stream", "readAt", "shards", "hashRangeCoverage", "workers");
        return doc;
    }

    private static JsonNode shard(JsonNode doc, String shardId) {
        for (JsonNode row : doc.get("shards")) {
            if (row.get("shardId").asText().equals(shardId)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + shardId + " in " + doc);
    }

    private static Map<String, Map<String, AttributeValue>> leases(LocalEngines engines, LeaseTableName table) {
        Map<String, Map<String, AttributeValue>> leases = new HashMap<>();
        engines.dynamoDbClient().scan(b -> b.tableName(table.value()).consistentRead(true)).items().stream()
                .filter(i -> i.containsKey("checkpoint"))
                .forEach(i -> leases.put(i.get("leaseKey").s(), i));
        return leases;
    }

    /** A KCL 3.x worker metrics item exists: in the lease table (entity type WORKER_METRIC_STATS) or its own table. */
    private static boolean kclMetricsReported(LocalEngines engines, LeaseTableName table) {
        boolean inLeaseTable = engines.dynamoDbClient().scan(b -> b.tableName(table.value()).consistentRead(true)).items()
                .stream().anyMatch(i -> i.containsKey("entityType") && "WORKER_METRIC_STATS".equals(i.get("entityType").s()));
        try {
            return inLeaseTable || engines.dynamoDbClient().scan(b -> b.tableName(table.value() + "-WorkerMetricStats"))
                    .count() > 0;
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException noTable) {
            return false;
        }
    }

    /** Both KCL leases hold a sequence-number checkpoint (the processor checkpoints every batch). */
    private static boolean checkpointsPast(LocalEngines engines, LeaseTableName table) {
        Map<String, Map<String, AttributeValue>> leases = leases(engines, table);
        return leases.size() == 2 && leases.values().stream().allMatch(i -> i.get("checkpoint").s().matches("[0-9]+"));
    }
}
