package io.shardwise.testkit.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void keepsOnlyTheLastLines() throws IOException {
        Path log = Files.writeString(dir.resolve("engine.log"), "one\ntwo\nthree\nfour\n");

        assertThat(LogTail.of(log, 2)).isEqualTo("last 2 lines of " + log + ":\n    three\n    four");
    }

    @Test
    void saysWhenTheLogIsMissingOrEmpty() throws IOException {
        assertThat(LogTail.of(dir.resolve("absent.log"), 5)).contains("no log was written at");
        assertThat(LogTail.of(Files.createFile(dir.resolve("empty.log")), 5)).contains("is empty");
    }
}
