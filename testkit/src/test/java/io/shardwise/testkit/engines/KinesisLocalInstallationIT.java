package io.shardwise.testkit.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KinesisLocalInstallationIT {

    @Test
    void parallelJvmsInstallIntoAnEmptyCacheOnceAndBothUseIt(@TempDir Path cache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> racers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    InstallationRacer.class.getName())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put(KinesisLocalInstallation.CACHE_DIR_VARIABLE, cache.toString());
            racers.add(builder.start());
        }
        List<String> answers = new ArrayList<>();
        for (Process racer : racers) {
            racer.getOutputStream().close();
            answers.add(new String(racer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
            assertThat(racer.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(racer.exitValue()).isZero();
        }

        assertThat(answers).containsExactlyInAnyOrder(
                "installed-by-this-jvm true main-exists true",
                "installed-by-this-jvm false main-exists true");
        Path dir = cache.resolve("kinesis-local-" + KinesisLocalInstallation.contentHash());
        assertThat(dir.resolve("node_modules/kinesis-local/server.json")).exists();

        // A later start in this JVM finds the installation and runs no npm.
        KinesisLocalInstallation again = KinesisLocalInstallation.ensureInstalled(
                NodeToolchain.locate(System.getenv()), Map.of(KinesisLocalInstallation.CACHE_DIR_VARIABLE, cache.toString()));
        assertThat(again.installedByThisCall()).isFalse();
        assertThat(Files.readString(dir.resolve("package-lock.json"))).contains("\"kinesis-local\": \"0.6.2\"");
    }
}
