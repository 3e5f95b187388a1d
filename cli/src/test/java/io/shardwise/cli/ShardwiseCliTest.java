package io.shardwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardwiseCliTest {

    /** The first hash key of shard i of a 4-shard stream, plus one. */
    private static String inShard(int i) {
        return BigInteger.ONE.shiftLeft(126).multiply(BigInteger.valueOf(i)).add(BigInteger.ONE).toString();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(JsonNode node, String field) {
        return node.get(field).isNull() ? null : node.get(field).asText();
    }

    private static String aggregateOf(String... keysAndData) {
        RecordAggregator aggregator = new RecordAggregator();
        for (int i = 0; i < keysAndData.length; i += 2) {
            aggregator.tryAdd(keysAndData[i], null, keysAndData[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        KinesisRecord record = aggregator.emit();
        assertThat(record.aggregated()).isTrue();
        return Base64.getEncoder().encodeToString(record.data());
    }

    @Test
    void inspectUnpacksAnAggregate() {
        CliRun run = CliRun.of(aggregateOf("k1", "one", "k2", "two", "k1", "") + "\n", "inspect");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "{\"partitionKey\":\"k1\",\"explicitHashKey\":null,\"data\":\"" + b64("one") + "\",\"subSequenceNumber\":0,\"aggregated\":true}",
                "{\"partitionKey\":\"k2\",\"explicitHashKey\":null,\"data\":\"" + b64("two") + "\",\"subSequenceNumber\":1,\"aggregated\":true}",
                "{\"partitionKey\":\"k1\",\"explicitHashKey\":null,\"data\":\"\",\"subSequenceNumber\":2,\"aggregated\":true}");
    }

    @Test
    void inspectPassesAPlainRecordThroughWithANote() {
        CliRun run = CliRun.of(b64("plain payload") + "\n", "inspect");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly(
                "{\"data\":\"" + b64("plain payload") + "\",\"aggregated\":false,\"note\":\"NOT_AGGREGATED: no KPL magic prefix\"}");
    }

    @Test
    void inspectReportsACorruptAggregateWholeWithTheReason() {
        byte[] corrupt = Base64.getDecoder().decode(aggregateOf("k1", "one", "k2", "two"));
        corrupt[10] ^= 1;
        String line = Base64.getEncoder().encodeToString(corrupt);

        CliRun run = CliRun.of(line + "\n", "inspect");

        assertThat(run.exitCode()).isZero();
        List<JsonNode> json = run.json();
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("data").asText()).isEqualTo(line);
        assertThat(json.get(0).get("aggregated").asBoolean()).isFalse();
        assertThat(json.get(0).get("note").asText()).startsWith("BAD_CHECKSUM: ");
        assertThat(json.get(0).has("partitionKey")).isFalse();
    }

    @Test
    void inspectReadsAFileAndSkipsBlankLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("records.txt");
        Files.writeString(file, aggregateOf("a1", "x", "a2", "y") + "\n\n" + b64("z") + "\n");

        CliRun run = CliRun.of("", "inspect", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.json()).extracting(node -> node.get("aggregated").asBoolean()).containsExactly(true, true, false);
    }

    @Test
    void inspectFailsWithOneLineOnBadBase64() {
        CliRun run = CliRun.of(b64("fine") + "\n%%%\n", "inspect");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("shardwise inspect: line 2: the record is not base64 (Illegal base64 character 25)");
    }

    @Test
    void inspectFailsWithOneLineOnAMissingFile(@TempDir Path dir) {
        CliRun run = CliRun.of("", "inspect", dir.resolve("absent.txt").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("no such file").contains("absent.txt");
    }

    @Test
    void aggregateGroupsByShardAndKeepsInputOrder() {
        String input = String.join("\n",
                line("r0", inShard(0), "zero"),
                line("r1", inShard(1), "one"),
                line("r2", inShard(0), "two"),
                line("r3", inShard(2), "three"),
                line("r4", inShard(1), "four"),
                line("r5", inShard(3), "five")) + "\n";

        CliRun run = CliRun.of(input, "aggregate", "--shards", "4");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> out = run.json();
        assertThat(out).extracting(node -> node.get("userRecords").asInt()).containsExactly(2, 2, 1, 1);
        assertThat(out).extracting(node -> text(node, "partitionKey")).containsExactly("a", "a", "r3", "r5");
        assertThat(out).extracting(node -> text(node, "explicitHashKey"))
                .containsExactly(inShard(0), inShard(1), inShard(2), inShard(3));
        assertThat(out.get(2).get("data").asText()).isEqualTo(b64("three"));
        assertThat(userKeysOf(out)).containsExactly("r0", "r2", "r1", "r4", "r3", "r5");
    }

    @Test
    void oneShardAggregatesEverythingInOrder() {
        String input = line("x", inShard(0), "1") + "\n" + line("y", inShard(3), "2") + "\n" + line("z", null, "3") + "\n";

        CliRun run = CliRun.of(input, "aggregate");

        assertThat(run.json()).hasSize(1);
        assertThat(userKeysOf(run.json())).containsExactly("x", "y", "z");
    }

    @Test
    void aggregateSplitsAtMaxRecordsAndMaxBytesKeepingOrder() {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            input.append(line("k" + i, null, "data-" + i)).append('\n');
        }
        CliRun byCount = CliRun.of(input.toString(), "aggregate", "--max-records", "3");
        assertThat(byCount.json()).extracting(node -> node.get("userRecords").asInt()).containsExactly(3, 3, 1);
        assertThat(userKeysOf(byCount.json())).containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6");

        CliRun bySize = CliRun.of(input.toString(), "aggregate", "--max-bytes", "60");
        assertThat(bySize.exitCode()).isZero();
        assertThat(bySize.json()).allSatisfy(node -> assertThat(kinesisSize(node)).isLessThanOrEqualTo(60));
        assertThat(bySize.json().size()).isGreaterThan(1);
        assertThat(userKeysOf(bySize.json())).containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6");
    }

    @Test
    void aRecordTooLargeForAnyAggregateGoesOutPlainWithoutReordering() {
        String big = "x".repeat(100);
        String input = line("s1", null, "s") + "\n" + line("s2", null, "s") + "\n" + line("big", null, big) + "\n"
                + line("t1", null, "t") + "\n" + line("t2", null, "t") + "\n";

        CliRun run = CliRun.of(input, "aggregate", "--max-bytes", "80");

        // the open aggregate is closed before the big record: the shard's order is kept
        assertThat(run.exitCode()).isZero();
        assertThat(run.json()).extracting(node -> text(node, "partitionKey")).containsExactly("a", "big", "a");
        assertThat(run.json().get(1).get("data").asText()).isEqualTo(b64(big));
        assertThat(run.json().get(1).get("userRecords").asInt()).isEqualTo(1);
        assertThat(userKeysOf(run.json())).containsExactly("s1", "s2", "big", "t1", "t2");
    }

    @Test
    void aggregateThenInspectGivesBackEveryRecord() {
        StringBuilder input = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String key = "key-" + i + "-ü";
            input.append(line(key, i % 5 == 0 ? "12345" : null, "payload " + i)).append('\n');
            expected.add(key + "|" + (i % 5 == 0 ? "12345" : null) + "|" + b64("payload " + i));
        }
        CliRun aggregated = CliRun.of(input.toString(), "aggregate", "--max-bytes", "400");
        StringBuilder records = new StringBuilder();
        for (JsonNode node : aggregated.json()) {
            records.append(node.get("data").asText()).append('\n');
        }

        CliRun inspected = CliRun.of(records.toString(), "inspect");

        List<String> back = new ArrayList<>();
        for (JsonNode node : inspected.json()) {
            back.add(text(node, "partitionKey") + "|" + text(node, "explicitHashKey") + "|" + node.get("data").asText());
        }
        assertThat(back).containsExactlyElementsOf(expected);
        assertThat(aggregated.json().size()).isGreaterThan(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[1,2]",
            "{\"data\":\"eA==\"}",
            "{\"partitionKey\":\"\",\"data\":\"eA==\"}",
            "{\"partitionKey\":\"k\",\"data\":\"%%%\"}",
            "{\"partitionKey\":\"k\",\"data\":\"eA==\",\"explicitHashKey\":\"-1\"}",
            "{\"partitionKey\":\"k\",\"data\":\"eA==\",\"explicitHashKey\":5}"})
    void aggregateRejectsBadInputWithOneLineNamingTheLine(String bad) {
        CliRun run = CliRun.of(line("ok", null, "fine") + "\n" + bad + "\n", "aggregate");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).startsWith("shardwise aggregate: line 2: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--shards=0", "--max-bytes=0", "--max-bytes=10485761", "--max-records=0", "--shards=x"})
    void aggregateRejectsBadOptionsAsUsageErrors(String option) {
        CliRun run = CliRun.of("", "aggregate", option);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).startsWith("shardwise: ").contains("see 'shardwise aggregate --help'");
    }

    @Test
    void demoRejectsTooFewWorkersInOneLine() {
        CliRun run = CliRun.of("", "demo", "--workers", "2");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("shardwise demo: --workers must be between 3 and 10 (one keeps"
                + " running, one stops gracefully, one is killed): got 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "inspect", "aggregate", "demo", "local", "put", "tail"})
    void everyCommandHasHelp(String command) {
        CliRun run = command.isEmpty() ? CliRun.of("", "--help") : CliRun.of("", command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: shardwise" + (command.isEmpty() ? "" : " " + command) + " [-hV]");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void unknownCommandsAndOptionsAreOneLineUsageErrors() {
        CliRun unknownCommand = CliRun.of("", "frobnicate");
        assertThat(unknownCommand.exitCode()).isEqualTo(2);
        assertThat(unknownCommand.errLines()).hasSize(1);

        CliRun unknownOption = CliRun.of("", "inspect", "--bogus");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.errLines()).containsExactly(
                "shardwise: Unknown option: '--bogus' (see 'shardwise inspect --help')");
    }

    private static String line(String key, String explicitHashKey, String data) {
        return "{\"partitionKey\":\"" + key + "\""
                + (explicitHashKey == null ? "" : ",\"explicitHashKey\":\"" + explicitHashKey + "\"")
                + ",\"data\":\"" + b64(data) + "\"}";
    }

    private static int kinesisSize(JsonNode node) {
        return Base64.getDecoder().decode(node.get("data").asText()).length
                + node.get("partitionKey").asText().getBytes(StandardCharsets.UTF_8).length;
    }

    /** The user record keys inside the aggregate command's output, via the inspect command. */
    private static List<String> userKeysOf(List<JsonNode> kinesisRecords) {
        List<String> keys = new ArrayList<>();
        for (JsonNode record : kinesisRecords) {
            if (record.get("userRecords").asInt() == 1) {
                keys.add(record.get("partitionKey").asText());
                continue;
            }
            for (JsonNode user : CliRun.of(record.get("data").asText() + "\n", "inspect").json()) {
                keys.add(user.get("partitionKey").asText());
            }
        }
        return keys;
    }
}
