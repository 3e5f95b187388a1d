package io.shardwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code shardwise app}'s usage and input errors, which are found before any call to an engine. */
class AppCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"describe", "reset", "watch"})
    void everyAppCommandHasHelp(String command) {
        CliRun run = CliRun.of("", "app", command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: shardwise app " + command + " [-hV]").contains("--app=NAME");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aResetNeedsExactlyOneDestination() {
        CliRun none = CliRun.of("", "app", "reset", "--app", "a", "--stream", "s");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.errLines()).hasSize(1).allSatisfy(l -> assertThat(l).contains("--to-timestamp")
                .contains("see 'shardwise app reset --help'"));

        CliRun two = CliRun.of("", "app", "reset", "--app", "a", "--stream", "s", "--to-latest", "--to-trim-horizon");
        assertThat(two.exitCode()).isEqualTo(2);
        assertThat(two.errLines()).hasSize(1).allSatisfy(l -> assertThat(l).contains("mutually exclusive"));
    }

    @Test
    void badDestinationsAreOneLineErrors() {
        CliRun noShard = CliRun.of("", "app", "reset", "--app", "a", "--stream", "s", "--to-sequence", "123");
        assertThat(noShard.exitCode()).isEqualTo(1);
        assertThat(noShard.errLines()).containsExactly("shardwise app reset: --to-sequence needs --shard ID");

        CliRun badNumber = CliRun.of("", "app", "reset", "--app", "a", "--stream", "s", "--shard", "shardId-0",
                "--to-sequence", "12/x");
        assertThat(badNumber.exitCode()).isEqualTo(1);
        assertThat(badNumber.errLines()).containsExactly(
                "shardwise app reset: --to-sequence 12/x: expected a sequence number N or N/SUB (decimal digits)");

        CliRun badTime = CliRun.of("", "app", "reset", "--app", "a", "--stream", "s", "--to-timestamp", "noon");
        assertThat(badTime.exitCode()).isEqualTo(1);
        assertThat(badTime.errLines()).containsExactly(
                "shardwise app reset: --to-timestamp noon: expected an ISO time like 2025-01-31T12:00:00Z");
    }

    @Test
    void watchRefusesAnIntervalOrCountOutOfRange() {
        CliRun interval = CliRun.of("", "app", "watch", "--app", "a", "--interval", "0.1");
        assertThat(interval.exitCode()).isEqualTo(1);
        assertThat(interval.errLines()).containsExactly(
                "shardwise app watch: --interval must be between 0.5 and 600 seconds: got 0.1");

        CliRun count = CliRun.of("", "app", "watch", "--app", "a", "--count", "0");
        assertThat(count.exitCode()).isEqualTo(1);
        assertThat(count.errLines()).containsExactly("shardwise app watch: --count must be at least 1: got 0");
    }
}
