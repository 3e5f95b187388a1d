package io.shardwise.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code put --follow FILE_OR_GLOB...} and the options that go with it (a picocli mixin). */
final class FollowOptions {

    @Option(names = "--follow", description = "Follow the files FILE_OR_GLOB... instead of reading standard input.")
    boolean follow;

    @Parameters(paramLabel = "FILE_OR_GLOB", arity = "0..*",
            description = "With --follow: files or quoted globs (*, ?, [..], {a,b}, ** across directories).")
    List<String> files;

    @Option(names = "--state", paramLabel = "FILE",
            description = "With --follow: the state file of acknowledged offsets, one per follower (default: "
                    + FollowedPut.DEFAULT_STATE + " in the working directory).")
    Path state;

    @Option(names = "--max-unacknowledged", paramLabel = "LINES", defaultValue = "1000",
            description = "With --follow: at most this many lines sent and not yet checkpointed, the most a restart"
                    + " after a crash can send twice (default ${DEFAULT-VALUE}).")
    int maxUnacknowledged;

    @Option(names = "--poll-interval", paramLabel = "MS", defaultValue = "200",
            description = "With --follow: milliseconds between looks at the files (default ${DEFAULT-VALUE}).")
    long pollIntervalMillis;

    /** Without --follow, put reads standard input: files or a state file are a mistake. */
    void requireNoFiles() {
        if (files != null && !files.isEmpty() || state != null) {
            throw new CliException("FILE_OR_GLOB and --state go with --follow; without it put reads standard input");
        }
    }

    /** The follower's settings; the state file defaults to one named after the stream. */
    FileFollower.Settings settings(String stream) {
        return new FileFollower.Settings(files, state != null ? state : Path.of(FollowedPut.defaultState(stream)),
                maxUnacknowledged, Duration.ofMillis(pollIntervalMillis));
    }
}
