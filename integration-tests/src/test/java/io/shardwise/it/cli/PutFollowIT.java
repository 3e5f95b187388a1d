package io.shardwise.it.cli;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.it.support.StreamReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * {@code shardwise put --follow} in a child JVM (cli/target/shardwise.jar) against the local engines:
 * files written and rotated (rename, copy-truncate) while it follows them, a SIGKILL in the middle
 * of the stream, a restart. Every line must arrive, and no more lines twice than the window of
 * unacknowledged lines ({@code --max-unacknowledged}) the crash can leave.
 */
@ShardwiseTest
class PutFollowIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WINDOW = 50;
    private static final Duration CATCH_UP = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private Path logs;
    private Path state;
    private final List<String> written = Collections.synchronizedList(new ArrayList<>());

    @Test
    @StreamShards(2)
    void everyLineArrivesThroughRotationAndASigkillWithDuplicatesWithinTheWindow(LocalEngines engines, TestStream stream,
            KinesisClient kinesis) throws Exception {
        logs = Files.createDirectories(dir.resolve("logs"));
        state = dir.resolve("follow.state");
        Path app = logs.resolve("app.log");
        Path other = logs.resolve("other.log");

        Process first = start(engines, stream, "first");
        try {
            // lines, one of them written in two parts: only the whole line is sent
            appendLines(app, 0, 150);
            String partial = "{\"id\":\"app-150\",\"us";
            append(app, partial);
            awaitCheckpointed(app, Files.size(app) - partial.length());
            append(app, "er\":\"u0\"}\n");
            written.add("{\"id\":\"app-150\",\"user\":\"u0\"}");
            appendLines(app, 151, 300);
            awaitAllCheckpointed();

            // rotation by rename: the old file is read to its end, the new one from its start
            appendLines(app, 300, 400);
            Files.move(app, logs.resolve("app.log.1"));
            appendLines(app, 400, 500);

            // copy-truncate (the copy lies outside the globs): the file is read again from byte 0
            appendOther(other, 0, 100);
            append(other, "a plain line, not JSON\n");
            written.add("a plain line, not JSON");
            awaitAllCheckpointed();
            Files.copy(other, dir.resolve("other.log.1"));
            Files.write(other, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            appendOther(other, 100, 150);
            awaitAllCheckpointed();

            // SIGKILL while a writer appends lines, and goes on appending while no follower runs
            try (ContinuousWriter writer = new ContinuousWriter(app, 500)) {
                long sizeAtStart = Files.size(app);
                awaitCheckpointedBeyond(app, sizeAtStart);
                long sizeBeforeKill = Files.size(app);
                first.destroyForcibly();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
                long checkpointAtKill = checkpoints().get(app.toString());
                assertThat(checkpointAtKill).as("killed in the middle: lines written before it and not checkpointed")
                        .isLessThan(sizeBeforeKill);
                awaitLinesWritten(writer, 200);
            }
        } finally {
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        Process second = start(engines, stream, "second");
        String summary;
        try {
            appendLines(app, 100_000, 100_100);
            awaitAllCheckpointed();
        } finally {
            second.destroy(); // SIGTERM: flush, last checkpoint, summary
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        summary = Files.readString(dir.resolve("second.out"));
        String secondErr = Files.readString(dir.resolve("second.err"));

        assertThat(Files.readString(dir.resolve("first.err")))
                .contains("was truncated (copy-truncate?)")
                .contains(app + " is now " + logs.resolve("app.log.1") + " (renamed): still followed")
                .contains("byte ").contains("not JSON").contains("sent with a random partition key");
        assertThat(secondErr).as("resumed from the state, not from the start")
                .containsPattern("following " + app.toString().replace(".", "\\.") + " from byte [1-9][0-9]*");
        assertThat(summary).as(secondErr).containsPattern("put (\\d+) of \\1 lines from 3 file\\(s\\) into "
                + stream.name() + "; offsets in " + state);

        Map<String, Integer> arrived = new HashMap<>();
        Map<String, String> keyOf = new HashMap<>();
        for (StreamReader.StoredRecord stored : new StreamReader(kinesis).readAll(stream.name())) {
            for (DeaggregatedRecord record : stored.deaggregate().records()) {
                String line = new String(record.data(), StandardCharsets.UTF_8);
                arrived.merge(line, 1, Integer::sum);
                keyOf.put(line, record.partitionKey());
            }
        }
        assertThat(arrived.keySet()).as("every line arrived, and nothing else").containsExactlyInAnyOrderElementsOf(written);
        int duplicates = arrived.values().stream().mapToInt(n -> n - 1).sum();
        System.out.printf("put --follow: %d lines written, %d records arrived, %d duplicates after one SIGKILL"
                + " (bound: --max-unacknowledged %d)%n", written.size(), written.size() + duplicates, duplicates, WINDOW);
        assertThat(duplicates).isLessThanOrEqualTo(WINDOW);
        for (String line : written) {
            if (line.startsWith("{")) {
                assertThat(keyOf.get(line)).as(line).isEqualTo(JSON.readTree(line).get("user").asText());
            }
        }
    }

    /** Appends lines to a file in small batches on its own thread until stopped. */
    private final class ContinuousWriter implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int next;
        private volatile IOException failure;

        ContinuousWriter(Path file, int first) {
            this.next = first;
            this.thread = new Thread(() -> {
                try {
                    while (running) {
                        appendLines(file, next, next + 10);
                        next += 10;
                        Thread.sleep(50);
                    }
                } catch (IOException e) {
                    failure = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "follow-it-writer");
            thread.start();
        }

        int written() {
            return next;
        }

        void stopAndJoin() throws InterruptedException, IOException {
            running = false;
            thread.join();
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void close() throws InterruptedException, IOException {
            stopAndJoin();
        }
    }

    private void awaitLinesWritten(ContinuousWriter writer, int more) {
        int target = writer.written() + more;
        await().atMost(CATCH_UP).until(() -> writer.written() >= target);
    }

    private Process start(LocalEngines engines, TestStream stream, String name) throws IOException {
        return JavaProcess.withEngines(JavaProcess.shardwise("put", "--stream", stream.name(), "--follow",
                        logs.resolve("app.log*").toString(), logs.resolve("other.log").toString(),
                        "--state", state.toString(), "--key-field", "user",
                        "--max-unacknowledged", Integer.toString(WINDOW), "--poll-interval", "100"), engines)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
    }

    private synchronized void appendLines(Path file, int from, int to) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            String line = "{\"id\":\"app-" + i + "\",\"user\":\"u" + (i % 7) + "\"}";
            written.add(line);
            text.append(line).append('\n');
        }
        append(file, text.toString());
    }

    private void appendOther(Path file, int from, int to) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            String line = "{\"id\":\"other-" + i + "\",\"user\":\"o" + (i % 3) + "\"}";
            written.add(line);
            text.append(line).append('\n');
        }
        append(file, text.toString());
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The offsets the state file holds, by path. */
    private Map<String, Long> checkpoints() {
        Map<String, Long> offsets = new HashMap<>();
        try {
            JsonNode root = JSON.readTree(Files.readString(state));
            for (JsonNode entry : root.get("files")) {
                offsets.put(entry.get("path").asText(), entry.get("offset").asLong());
            }
        } catch (IOException notYet) {
            // not written yet
        }
        return offsets;
    }

    private void awaitCheckpointed(Path file, long offset) {
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100))
                .until(() -> checkpoints().getOrDefault(file.toString(), -1L) == offset);
    }

    private void awaitCheckpointedBeyond(Path file, long offset) {
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(20))
                .until(() -> checkpoints().getOrDefault(file.toString(), -1L) > offset);
    }

    /** Every file under logs/ is checkpointed at its size: every line of it was acknowledged. */
    private void awaitAllCheckpointed() {
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100)).until(() -> {
            Map<String, Long> offsets = checkpoints();
            try (Stream<Path> files = Files.list(logs)) {
                return files.allMatch(f -> offsets.getOrDefault(f.toString(), -1L) == size(f));
            }
        });
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -2;
        }
    }
}
