package io.shardwise.testkit.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KinesisMockSettingsTest {

    private final KinesisLocalInstallation installation = new KinesisLocalInstallation(Path.of("/cache/kinesis-local-x"));

    @Test
    void passesPortsCertificateRegionAndQuietLogging() {
        Map<String, String> vars = KinesisMockProcess.childEnvironment(installation, Map.of(), 4567, 4568);

        assertThat(vars).containsEntry("KINESIS_MOCK_PLAIN_PORT", "4567")
                .containsEntry("KINESIS_MOCK_TLS_PORT", "4568")
                .containsEntry("KINESIS_MOCK_CERT_PATH", "/cache/kinesis-local-x/node_modules/kinesis-local/server.json")
                .containsEntry("AWS_REGION", "us-east-1")
                .containsEntry("LOG_LEVEL", "WARN");
    }

    @Test
    void theLogLevelCanBeRaised() {
        Map<String, String> vars = KinesisMockProcess.childEnvironment(installation,
                Map.of(KinesisMockProcess.LOG_LEVEL_VARIABLE, "DEBUG"), 1, 2);

        assertThat(vars).containsEntry("LOG_LEVEL", "DEBUG");
    }

    @Test
    void setsTheCrossedDurationsToOneValueAndShortensEveryOperation() {
        Map<String, String> vars = KinesisMockProcess.childEnvironment(installation, Map.of(), 1, 2);

        String deregister = vars.get("DEREGISTER_STREAM_CONSUMER_DURATION");
        assertThat(vars.get("START_STREAM_ENCRYPTION_DURATION")).isEqualTo(deregister);
        assertThat(vars.get("STOP_STREAM_ENCRYPTION_DURATION")).isEqualTo(deregister);
        assertThat(vars).containsKeys("CREATE_STREAM_DURATION", "DELETE_STREAM_DURATION", "SPLIT_SHARD_DURATION",
                "MERGE_SHARDS_DURATION", "UPDATE_SHARD_COUNT_DURATION", "REGISTER_STREAM_CONSUMER_DURATION");
        assertThat(vars.entrySet()).filteredOn(e -> e.getKey().endsWith("_DURATION"))
                .allSatisfy(e -> assertThat(e.getValue()).isEqualTo("100ms"));
    }

    @Test
    void theCacheDirectoryCanBeMoved() {
        assertThat(KinesisLocalInstallation.cacheRoot(Map.of(KinesisLocalInstallation.CACHE_DIR_VARIABLE, "/tmp/sw")))
                .isEqualTo(Path.of("/tmp/sw"));
        assertThat(KinesisLocalInstallation.cacheRoot(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "shardwise"));
    }

    @Test
    void theInstallationDirectoryIsNamedAfterTheShippedFiles() {
        assertThat(KinesisLocalInstallation.contentHash()).matches("[0-9a-f]{16}")
                .isEqualTo(KinesisLocalInstallation.contentHash());
    }
}
