package io.shardwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileGlobsTest {

    @TempDir
    Path dir;

    private Path touch(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "x\n");
    }

    @Test
    void aGlobMatchesFilesCreatedLaterAndOnlyRegularFiles() throws IOException {
        Path a = touch("a.log");
        Files.createDirectories(dir.resolve("d.log"));
        FileGlobs globs = new FileGlobs(List.of(dir.resolve("*.log").toString()), Set.of());
        assertThat(globs.matches()).containsExactly(a);

        Path b = touch("b.log");
        touch("b.txt");
        assertThat(globs.matches()).containsExactly(a, b);
    }

    @Test
    void twoStarsCrossDirectoriesAndOneStarDoesNot() throws IOException {
        Path top = touch("logs/top.log");
        Path nested = touch("logs/2026/11/nested.log");

        assertThat(new FileGlobs(List.of(dir.resolve("logs/**.log").toString()), Set.of()).matches())
                .containsExactlyInAnyOrder(top, nested);
        assertThat(new FileGlobs(List.of(dir.resolve("logs/*.log").toString()), Set.of()).matches())
                .containsExactly(top);
    }

    @Test
    void aPlainPathAndAMissingDirectoryAndExcludedFiles() throws IOException {
        Path plain = touch("app.log");
        Path state = touch("state");

        assertThat(new FileGlobs(List.of(plain.toString(), dir.resolve("nowhere/*.log").toString(),
                dir.resolve("*").toString()), Set.of(state)).matches()).containsExactly(plain);
    }
}
