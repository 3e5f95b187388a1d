package io.shardwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** put's option errors: one line, exit code 1, before any endpoint is needed. */
class PutOptionsTest {

    @Test
    void followNeedsAFileOrGlob() {
        CliRun run = CliRun.of("", "put", "--stream", "s", "--follow");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("shardwise put: --follow needs at least one FILE_OR_GLOB, e.g."
                + " '/var/log/app/*.log' (quoted, so the shell leaves the glob to shardwise and files created later are"
                + " found too)");
    }

    @Test
    void filesAndStateGoWithFollow() {
        CliRun run = CliRun.of("", "put", "--stream", "s", "app.log");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("shardwise put: FILE_OR_GLOB and --state go with --follow; without"
                + " it put reads standard input");
    }

    @Test
    void oneKeyOptionAtATime() {
        CliRun run = CliRun.of("", "put", "--stream", "s", "--key", "k", "--key-regex", "u=(\\w+)");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("shardwise put: choose one way to make partition keys: got --key,"
                + " --key-regex");
    }

    @Test
    void theWindowAndTheBudgetHaveFloors() {
        CliRun window = CliRun.of("", "put", "--stream", "s", "--follow", "a.log", "--max-unacknowledged", "0");
        assertThat(window.errLines()).containsExactly("shardwise put: --max-unacknowledged must be at least 1: got 0");

        CliRun budget = CliRun.of("", "put", "--stream", "s", "--max-buffered-bytes", "1000");
        assertThat(budget.errLines()).containsExactly("shardwise put: --max-buffered-bytes must hold the largest"
                + " record, 1048576 bytes: got 1000");
    }
}
