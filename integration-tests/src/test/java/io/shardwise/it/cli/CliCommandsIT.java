package io.shardwise.it.cli;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Every command of cli/target/shardwise.jar, run as a user runs it, against the local engines. */
@ShardwiseTest
class CliCommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Test
    void demoEndsWithAVerdictOfNothingLostAndEveryKeyInOrder(LocalEngines engines) throws IOException {
        JavaProcess.Result run = JavaProcess.run(JavaProcess.withEngines(
                JavaProcess.shardwise("demo", "--records", "600", "--duration", "12", "--json"), engines), "", TIMEOUT);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines).anyMatch(l -> l.contains("split shardId-")).anyMatch(l -> l.contains("merged shardId-"))
                .anyMatch(l -> l.contains("with SIGKILL")).anyMatch(l -> l.contains("gracefully"))
                .anyMatch(l -> l.startsWith("Verdict: PASS"));
        JsonNode verdict = JSON.readTree(lines.get(lines.size() - 1));
        List<String> keys = new ArrayList<>();
        verdict.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("sent", "received", "lost", "duplicates", "orderViolations",
                "throughputPerSecond", "p50LatencyMs", "p99LatencyMs", "failoverSeconds");
        assertThat(verdict.get("sent").asLong()).isEqualTo(600);
        assertThat(verdict.get("received").asLong()).isEqualTo(600);
        assertThat(verdict.get("lost").asLong()).isZero();
        assertThat(verdict.get("orderViolations").asLong()).isZero();
        assertThat(verdict.get("duplicates").asLong()).isNotNegative();
        assertThat(verdict.get("throughputPerSecond").asDouble()).isPositive();
        assertThat(verdict.get("p99LatencyMs").asLong()).isGreaterThanOrEqualTo(verdict.get("p50LatencyMs").asLong());
        assertThat(verdict.get("failoverSeconds").isNumber()).as("failover measured").isTrue();
    }

    @Test
    void demoRejectsABadOptionInOneLine() {
        JavaProcess.Result run = JavaProcess.run(JavaProcess.shardwise("demo", "--duration", "2"), "", TIMEOUT);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("shardwise demo: --duration must be at least 5 seconds (room for"
                + " resharding, a stop and a crash): got 2");
    }

    @Test
    void localServesTheEnginesUntilInterrupted() throws Exception {
        Process local = JavaProcess.shardwise("local", "--stream", "from-local:2").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(local.getInputStream(), StandardCharsets.UTF_8));
            String kinesisEndpoint = null;
            String dynamoEndpoint = null;
            List<String> seen = new ArrayList<>();
            for (String line = out.readLine(); line != null && dynamoEndpoint == null; line = out.readLine()) {
                seen.add(line);
                if (line.startsWith("  export SHARDWISE_KINESIS_ENDPOINT=")) {
                    kinesisEndpoint = line.substring(line.indexOf('=') + 1);
                } else if (line.startsWith("  export SHARDWISE_DYNAMODB_ENDPOINT=")) {
                    dynamoEndpoint = line.substring(line.indexOf('=') + 1);
                }
            }
            assertThat(kinesisEndpoint).as(String.join("\n", seen)).isNotNull();
            assertThat(dynamoEndpoint).as(String.join("\n", seen)).isNotNull();
            try (KinesisClient kinesis = KinesisClient.builder().endpointOverride(URI.create(kinesisEndpoint))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any")))
                    .build()) {
                assertThat(kinesis.describeStreamSummary(b -> b.streamName("from-local")).streamDescriptionSummary()
                        .openShardCount()).isEqualTo(2);
            }
            assertThat(healthy(kinesisEndpoint)).isTrue();

            local.destroy();
            assertThat(local.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            String endpoint = kinesisEndpoint;
            assertThatThrownBy(() -> healthy(endpoint)).as("kinesis-mock stopped with it").isInstanceOf(IOException.class);
        } finally {
            local.destroyForcibly();
        }
    }

    @Test
    @StreamShards(1)
    void putThenTailFollowsParentsBeforeChildren(LocalEngines engines, TestStream stream, KinesisClient kinesis) throws IOException {
        String first = IntStream.range(0, 40).mapToObj(i -> "line-" + i).collect(Collectors.joining("\n", "", "\n"));
        JavaProcess.Result put = JavaProcess.run(JavaProcess.withEngines(
                JavaProcess.shardwise("put", "--stream", stream.name(), "--key", "k"), engines), first, TIMEOUT);
        assertThat(put.exitCode()).as(put.err()).isZero();
        assertThat(put.outLines()).containsExactly("put 40 of 40 records into " + stream.name());

        Shard parent = kinesis.listShards(b -> b.streamName(stream.name())).shards().get(0);
        kinesis.splitShard(b -> b.streamName(stream.name()).shardToSplit(parent.shardId())
                .newStartingHashKey("170141183460469231731687303715884105728"));
        awaitActive(kinesis, stream.name());

        String second = IntStream.range(40, 80).mapToObj(i -> "line-" + i).collect(Collectors.joining("\n", "", "\n"));
        assertThat(JavaProcess.run(JavaProcess.withEngines(
                JavaProcess.shardwise("put", "--stream", stream.name(), "--key", "k"), engines), second, TIMEOUT)
                .exitCode()).isZero();
        String keyless = IntStream.range(0, 20).mapToObj(i -> "spread-" + i).collect(Collectors.joining("\n", "", "\n"));
        JavaProcess.Result spread = JavaProcess.run(JavaProcess.withEngines(
                JavaProcess.shardwise("put", "--stream", stream.name()), engines), keyless, TIMEOUT);
        assertThat(spread.outLines()).containsExactly("put 20 of 20 records into " + stream.name());

        JavaProcess.Result tail = JavaProcess.run(JavaProcess.withEngines(JavaProcess.shardwise("tail", "--stream",
                stream.name(), "--from", "trim-horizon", "--format", "json", "--limit", "100"), engines), "", TIMEOUT);
        assertThat(tail.exitCode()).as(tail.err()).isZero();
        List<JsonNode> records = new ArrayList<>();
        for (String line : tail.outLines()) {
            records.add(JSON.readTree(line));
        }
        assertThat(records).hasSize(100);
        List<String> keyed = records.stream().filter(r -> r.get("partitionKey").asText().equals("k"))
                .map(r -> new String(Base64.getDecoder().decode(r.get("data").asText()), StandardCharsets.UTF_8))
                .toList();
        assertThat(keyed).containsExactlyElementsOf(IntStream.range(0, 80).mapToObj(i -> "line-" + i).toList());
        assertThat(records.subList(0, 40)).allMatch(r -> r.get("shardId").asText().equals(parent.shardId()));
        assertThat(records).filteredOn(r -> r.get("partitionKey").asText().equals("k")).hasSize(80);

        JavaProcess.Result text = JavaProcess.run(JavaProcess.withEngines(JavaProcess.shardwise("tail", "--stream",
                stream.name(), "--limit", "1"), engines), "", TIMEOUT);
        assertThat(text.outLines()).hasSize(1);
        assertThat(text.outLines().get(0)).startsWith(parent.shardId() + " ").endsWith(" k line-0");
    }

    @Test
    @StreamShards(2)
    void putTakesPartitionKeysFromAJsonFieldOrARegexAndSendsALineWithoutOneUnderARandomKey(LocalEngines engines,
            TestStream stream) throws IOException {
        String json = "{\"user\":\"ann\",\"n\":1}\nnot json\n{\"user\":\"bob\",\"n\":2}\n";
        JavaProcess.Result byField = JavaProcess.run(JavaProcess.withEngines(
                JavaProcess.shardwise("put", "--stream", stream.name(), "--key-field", "user"), engines), json, TIMEOUT);
        assertThat(byField.exitCode()).as(byField.err()).isZero();
        assertThat(byField.outLines()).containsExactly("put 3 of 3 records into " + stream.name());
        assertThat(byField.errLines()).anyMatch(l -> l.startsWith("shardwise put: line 2: not JSON (")
                && l.endsWith("; sent with a random partition key"));

        JavaProcess.Result byRegex = JavaProcess.run(JavaProcess.withEngines(
                JavaProcess.shardwise("put", "--stream", stream.name(), "--key-regex", "user=(\\w+)"), engines),
                "ts=1 user=cy\n", TIMEOUT);
        assertThat(byRegex.exitCode()).as(byRegex.err()).isZero();

        JavaProcess.Result tail = JavaProcess.run(JavaProcess.withEngines(JavaProcess.shardwise("tail", "--stream",
                stream.name(), "--format", "json", "--limit", "4"), engines), "", TIMEOUT);
        Map<String, String> keyOf = new HashMap<>();
        for (String line : tail.outLines()) {
            JsonNode record = JSON.readTree(line);
            keyOf.put(new String(Base64.getDecoder().decode(record.get("data").asText()), StandardCharsets.UTF_8),
                    record.get("partitionKey").asText());
        }
        assertThat(keyOf).containsEntry("{\"user\":\"ann\",\"n\":1}", "ann")
                .containsEntry("{\"user\":\"bob\",\"n\":2}", "bob")
                .containsEntry("ts=1 user=cy", "cy").containsKey("not json");
        assertThat(keyOf.get("not json")).hasSize(36);
    }

    @Test
    void putAndTailWithoutAnEndpointSayWhatToDo() {
        for (String command : List.of("put", "tail")) {
            JavaProcess.Result run = JavaProcess.run(JavaProcess.shardwise(command, "--stream", "s"), "x\n", TIMEOUT);

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.err()).startsWith("shardwise " + command + ": " + command + " needs a Kinesis endpoint")
                    .contains("shardwise local").contains("--region");
        }
    }

    @Test
    void inspectEventUnpacksEveryUserRecordOfALambdaEvent(@TempDir Path dir) throws IOException {
        RecordAggregator aggregator = new RecordAggregator();
        for (int i = 0; i < 3; i++) {
            assertThat(aggregator.tryAdd("key-" + i, null, ("sub-" + i).getBytes(StandardCharsets.UTF_8))).isTrue();
        }
        KinesisRecord aggregate = aggregator.emit();
        Path event = dir.resolve("event.json");
        Files.writeString(event, "{\"Records\":["
                + record(aggregate.partitionKey(), "49590338271490256608559692538361571095921575989136588801", aggregate.data())
                + "," + record("plain-key", "49590338271490256608559692538361571095921575989136588802",
                        "hello".getBytes(StandardCharsets.UTF_8))
                + "]}");

        JavaProcess.Result run = JavaProcess.run(JavaProcess.shardwise("inspect", "--event", event.toString()), "", TIMEOUT);

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.outLines()) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(4);
        assertThat(lines).extracting(l -> l.get("partitionKey").asText())
                .containsExactly("key-0", "key-1", "key-2", "plain-key");
        assertThat(lines).extracting(l -> l.get("subSequenceNumber").asLong()).containsExactly(0L, 1L, 2L, 0L);
        assertThat(lines).extracting(l -> l.get("aggregated").asBoolean()).containsExactly(true, true, true, false);
        assertThat(lines.get(1).get("sequenceNumber").asText())
                .isEqualTo("49590338271490256608559692538361571095921575989136588801");
        assertThat(Base64.getDecoder().decode(lines.get(3).get("data").asText())).asString().isEqualTo("hello");
    }

    @Test
    void aggregateThenInspectRoundTrips() throws IOException {
        String input = IntStream.range(0, 3).mapToObj(i -> "{\"partitionKey\":\"k" + i + "\",\"data\":\""
                + Base64.getEncoder().encodeToString(("v" + i).getBytes(StandardCharsets.UTF_8)) + "\"}")
                .collect(Collectors.joining("\n", "", "\n"));

        JavaProcess.Result aggregate = JavaProcess.run(JavaProcess.shardwise("aggregate"), input, TIMEOUT);
        assertThat(aggregate.exitCode()).as(aggregate.err()).isZero();
        assertThat(aggregate.outLines()).hasSize(1);
        JsonNode record = JSON.readTree(aggregate.outLines().get(0));
        assertThat(record.get("userRecords").asInt()).isEqualTo(3);

        JavaProcess.Result inspect = JavaProcess.run(JavaProcess.shardwise("inspect"),
                record.get("data").asText() + "\n", TIMEOUT);
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        Iterator<String> lines = inspect.outLines().iterator();
        for (int i = 0; i < 3; i++) {
            JsonNode user = JSON.readTree(lines.next());
            assertThat(user.get("partitionKey").asText()).isEqualTo("k" + i);
            assertThat(Base64.getDecoder().decode(user.get("data").asText())).asString().isEqualTo("v" + i);
        }
        assertThat(lines.hasNext()).isFalse();
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("demo", "local", "put", "tail", "inspect", "aggregate")) {
            JavaProcess.Result run = JavaProcess.run(JavaProcess.shardwise(command, "--help"), "", TIMEOUT);
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("Usage: shardwise " + command + " [-hV]");
        }
    }

    private static String record(String partitionKey, String sequenceNumber, byte[] data) {
        return "{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"" + partitionKey
                + "\",\"sequenceNumber\":\"" + sequenceNumber + "\",\"data\":\"" + Base64.getEncoder().encodeToString(data)
                + "\",\"approximateArrivalTimestamp\":1.7e9},\"eventSource\":\"aws:kinesis\",\"eventID\":"
                + "\"shardId-000000000000:" + sequenceNumber + "\",\"awsRegion\":\"us-east-1\"}";
    }

    private static boolean healthy(String endpoint) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint + "/healthcheck").toURL().openConnection();
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(2000);
        try {
            return connection.getResponseCode() == 200;
        } finally {
            connection.disconnect();
        }
    }

    private static void awaitActive(KinesisClient kinesis, String stream) {
        for (int i = 0; i < 600; i++) {
            if (kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
                    == StreamStatus.ACTIVE) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("stream " + stream + " not ACTIVE after 60 s");
    }
}
