package io.shardwise.cli;

/**
 * The size of a demo run: records produced evenly over {@code durationSeconds}, the stream's shards
 * at the start, and the consumer workers (one keeps running, one stops gracefully, one is killed).
 */
record DemoPlan(int records, int durationSeconds, int shards, int workers) {

    DemoPlan {
        if (records < 1) {
            throw new CliException("--records must be at least 1: got " + records);
        }
        if (durationSeconds < 5) {
            throw new CliException("--duration must be at least 5 seconds (room for resharding, a stop and a crash):"
                    + " got " + durationSeconds);
        }
        if (shards < 1 || shards > 50) {
            throw new CliException("--shards must be between 1 and 50: got " + shards);
        }
        if (workers < 3 || workers > 10) {
            throw new CliException("--workers must be between 3 and 10 (one keeps running, one stops gracefully,"
                    + " one is killed): got " + workers);
        }
    }
}
