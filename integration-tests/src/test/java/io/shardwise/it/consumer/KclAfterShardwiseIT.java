package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.it.support.KclWorker;
import io.shardwise.it.support.PayloadCollector;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Migration to the KCL after a Shardwise fleet stopped, one worker gracefully and one by SIGKILL
 * (after its last checkpoint): the lease table holds only leases (liveness lives in the worker
 * table), so the real KCL 3.5.1 started on it resumes after Shardwise's checkpoints, processes every
 * new record and none again, and logs no error about items it cannot read.
 */
@ShardwiseTest
@StreamShards(2)
class KclAfterShardwiseIT {

    @Test
    void theKclFollowingACrashedAndAClosedShardwiseWorkerFindsOnlyLeases(LocalEngines engines, TestStream stream,
                                                                          LeaseTableName table) throws Exception {
        List<String> before = Writes.numbered(engines.kinesisClient(), stream.name(), 0, 40, 8);
        Received received = new Received();
        try (WorkerProcess crashing = new WorkerProcess(engines, stream.name(), table.value(), "crashing", received);
             ShardwiseConsumer closing = LocalWorkers.receiving(engines, stream, table, "closing", received)) {
            assertThat(crashing.awaitStarted()).isTrue();
            closing.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.distinctPayloads() == 40
                    && closing.heldShards().size() == 1);
            Thread.sleep(1_000);
            crashing.kill();
            closing.close();
        }
        List<Map<String, AttributeValue>> items = engines.dynamoDbClient()
                .scan(b -> b.tableName(table.value()).consistentRead(true)).items();
        assertThat(items).as("only shard leases in the lease table").hasSize(2)
                .allSatisfy(item -> assertThat(item.get("leaseKey").s()).startsWith("shardId-"));

        Set<String> seenByKcl = ConcurrentHashMap.newKeySet();
        ByteArrayOutputStream kclLog = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, kclLog), true, StandardCharsets.UTF_8));
        try (KclWorker kcl = new KclWorker(engines, stream.name(), table.value(), "kcl-worker",
                () -> new PayloadCollector(seenByKcl, PayloadCollector.Checkpoints.NEVER))) {
            List<String> after = Writes.numbered(engines.kinesisClient(), stream.name(), 100, 140, 8);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> seenByKcl.containsAll(after));
            // Past a few more assignment rounds of the KCL leader, which read the whole table.
            Thread.sleep(3 * KclWorker.LEASE_ASSIGNMENT_INTERVAL.toMillis());
        } finally {
            System.setErr(originalErr);
        }
        assertThat(seenByKcl).as("the KCL resumes after Shardwise's checkpoints: nothing processed again")
                .doesNotContainAnyElementsOf(before);
        String log;
        synchronized (kclLog) {
            log = kclLog.toString(StandardCharsets.UTF_8);
        }
        assertThat(log).as("the capture sees the KCL's own lines (it warns at start-up)")
                .contains("software.amazon.kinesis");
        assertThat(log).as("the KCL's log").doesNotContain("Failed to deserialize").doesNotContain("__worker__");
        assertThat(log.lines().filter(l -> l.contains(" ERROR ")).toList()).as("ERROR lines of the KCL").isEmpty();
    }

    /** Copies every byte to two streams: the console keeps its log, the test reads the copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            synchronized (second) {
                second.write(b, off, len);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
        }
    }
}
