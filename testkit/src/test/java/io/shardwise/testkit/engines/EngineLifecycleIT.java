package io.shardwise.testkit.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineLifecycleIT {

    @Test
    void closingAPrivateInstanceLeavesNoEngineProcessBehind() {
        long pid;
        List<ProcessHandle> engineProcesses;
        URI kinesisEndpoint;
        URI dynamoDbEndpoint;
        try (LocalEngines engines = LocalEngines.startEmbedded(System.getenv())) {
            kinesisEndpoint = engines.kinesisEndpoint();
            dynamoDbEndpoint = engines.dynamoDbEndpoint();
            pid = engines.kinesisMockPid().orElseThrow();
            ProcessHandle node = ProcessHandle.of(pid).orElseThrow();
            assertThat(node.isAlive()).isTrue();
            assertThat(node.info().command()).hasValueSatisfying(c -> assertThat(c).contains("node"));
            assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid)).contains(pid);
            engineProcesses = Stream.concat(Stream.of(node), node.descendants()).toList();
            // Both engines answer before the close.
            assertThat(engines.kinesisClient().listStreams().streamNames()).isNotNull();
            assertThat(engines.dynamoDbClient().listTables().tableNames()).isNotNull();
        }
        for (ProcessHandle process : engineProcesses) {
            assertThat(process.isAlive()).as("process %d after close", process.pid()).isFalse();
        }
        assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid)).doesNotContain(pid);
        assertThat(listening(kinesisEndpoint)).as("kinesis-mock port after close").isFalse();
        assertThat(listening(dynamoDbEndpoint)).as("DynamoDB Local port after close").isFalse();
    }

    private static boolean listening(URI endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    @Test
    void kinesisMockExitsByItselfWhenTheJvmThatStartedItIsKilled() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = Path.of("target", "kinesis-mock-holder.err");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KinesisMockHolder.class.getName())
                .redirectError(stderr.toFile())
                .start();
        try {
            long nodePid = readNodePid(holder);
            ProcessHandle node = ProcessHandle.of(nodePid).orElseThrow();
            assertThat(node.isAlive()).isTrue();

            holder.destroyForcibly(); // SIGKILL: no shutdown hook runs in the holder
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();

            // The launcher sees its stdin pipe close and exits; poll, as the exit is asynchronous.
            boolean exited = node.onExit().thenApply(p -> true)
                    .completeOnTimeout(false, 30, TimeUnit.SECONDS).get();
            assertThat(exited).as("node %d still alive after its JVM was killed", nodePid).isTrue();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aFailedStartThrowsWithTheTailOfTheEngineLog() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put(KinesisMockProcess.LOG_LEVEL_VARIABLE, "NOT-A-LEVEL");

        assertThatThrownBy(() -> KinesisMockProcess.start(env))
                .isInstanceOf(LocalEngineException.class)
                .hasMessageContaining("kinesis-mock exited with code")
                .hasMessageContaining("lines of")
                .hasMessageContaining("LOG_LEVEL with value NOT-A-LEVEL");
    }

    @Test
    void withoutNodeOnThePathTheEnginesDoNotStartAndSayWhatToDo(@TempDir Path emptyDir) {
        assertThatThrownBy(() -> LocalEngines.startEmbedded(Map.of("PATH", emptyDir.toString())))
                .isInstanceOf(LocalEngineException.class)
                .hasMessageContaining("Node.js 18+ with npm")
                .hasMessageContaining("SHARDWISE_KINESIS_ENDPOINT");
    }

    private static long readNodePid(Process holder) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String line;
        while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
            if (line.startsWith("kinesis-mock-pid ")) {
                return Long.parseLong(line.substring("kinesis-mock-pid ".length()).trim());
            }
        }
        throw new AssertionError("the holder JVM printed no kinesis-mock pid; see " + new File("target/kinesis-mock-holder.err").getAbsolutePath());
    }
}
