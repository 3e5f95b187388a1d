package io.shardwise.testkit.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeToolchainTest {

    @TempDir
    Path dir;

    @Test
    void withoutNodeOnThePathSaysWhatToInstallAndWhichVariablePointsAtAnExistingEndpoint() {
        Map<String, String> env = Map.of("PATH", dir.toString());

        assertThatThrownBy(() -> NodeToolchain.locate(env))
                .isInstanceOf(LocalEngineException.class)
                .hasMessageContaining("node and npm were not found on the PATH (" + dir + ")")
                .hasMessageContaining("Node.js 18+ with npm")
                .hasMessageContaining("SHARDWISE_KINESIS_ENDPOINT");
    }

    @Test
    void withoutAnyPathAtAllSaysTheSame() {
        assertThatThrownBy(() -> NodeToolchain.locate(Map.of()))
                .isInstanceOf(LocalEngineException.class)
                .hasMessageContaining("not found on the PATH")
                .hasMessageContaining("SHARDWISE_KINESIS_ENDPOINT");
    }

    @Test
    void namesNpmWhenOnlyNpmIsMissing() throws IOException {
        executable(dir.resolve("node"));

        assertThatThrownBy(() -> NodeToolchain.locate(Map.of("PATH", dir.toString())))
                .isInstanceOf(LocalEngineException.class)
                .hasMessageStartingWith("npm was not found on the PATH");
    }

    @Test
    void findsBothInTheFirstPathEntryThatHoldsThem(@TempDir Path other) throws IOException {
        Path node = executable(other.resolve("node"));
        Path npm = executable(other.resolve("npm"));
        String path = dir + File.pathSeparator + other;

        NodeToolchain toolchain = NodeToolchain.locate(Map.of("PATH", path));

        assertThat(toolchain.node()).isEqualTo(node.toAbsolutePath());
        assertThat(toolchain.npm()).isEqualTo(npm.toAbsolutePath());
    }

    @Test
    void ignoresAFileThatIsNotExecutable() throws IOException {
        Files.createFile(dir.resolve("node"));
        executable(dir.resolve("npm"));

        assertThatThrownBy(() -> NodeToolchain.locate(Map.of("PATH", dir.toString())))
                .hasMessageStartingWith("node was not found");
    }

    @Test
    void readsTheMajorVersionOfNodeVersionOutput() {
        assertThat(NodeToolchain.majorVersion("v20.20.2")).isEqualTo(20);
        assertThat(NodeToolchain.majorVersion("v16.0.0\n")).isEqualTo(16);
        assertThat(NodeToolchain.majorVersion("not a version")).isEqualTo(-1);
    }

    private static Path executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
