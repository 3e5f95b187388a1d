package io.shardwise.it.consumer;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * One event of a chaos soak's history. Times are wall-clock microseconds since the epoch, taken
 * on one machine by the test JVM and the worker JVMs alike. A worker is one JVM incarnation (a
 * restarted worker has a new id); a processor is one {@code RecordProcessor} instance of a worker,
 * named {@code <worker>/<n>}.
 */
sealed interface SoakEvent {

    long micros();

    /** The ordered writer's record {@code key:n} was acknowledged, stored at {@code shard}/{@code sequence}. */
    record Acked(String key, long n, String shard, String sequence, long micros) implements SoakEvent {
        String payload() {
            return key + ":" + n;
        }
    }

    /** A processor received a user record. */
    record Delivery(String worker, String processor, String shard, String sequence, long subSequence,
                    String key, long n, long micros) implements SoakEvent {
        Position position() {
            return new Position(sequence, subSequence);
        }

        String payload() {
            return key + ":" + n;
        }

        /** The record's identity in the stream: its shard and position. */
        String recordId() {
            return shard + "/" + sequence + "/" + subSequence;
        }
    }

    /** A processor's checkpoint succeeded; {@code sequence} is {@value #SHARD_END} at a shard's end. */
    record Checkpointed(String worker, String processor, String shard, String sequence, long subSequence,
                        long micros) implements SoakEvent {
        static final String SHARD_END = "SHARD_END";

        Position position() {
            return new Position(sequence, subSequence);
        }
    }

    /**
     * A processor's checkpoint failed (the table could not be reached or answered an error) at the
     * end of a batch, or as its last act ({@code last}: when asked to shut down, or at a shard's end).
     */
    record CheckpointFailed(String worker, String processor, String shard, boolean last, String reason, long micros)
            implements SoakEvent {
    }

    /** A processor was told its lease is lost (another worker holds it now). */
    record LeaseLost(String worker, String processor, String shard, long micros) implements SoakEvent {
    }

    /** The soak killed a worker's JVM with SIGKILL. */
    record Crashed(String worker, long micros) implements SoakEvent {
    }

    /** The soak stopped a worker gracefully (SIGTERM: its consumer closes and checkpoints). */
    record Stopped(String worker, long micros) implements SoakEvent {
    }

    /** The soak injected a fault (a kill, a stop, a reshard, a proxy rule change...), for the figures. */
    record FaultInjected(String description, long micros) implements SoakEvent {
    }

    /** Every fault ended: the proxies pass everything, every worker that should run runs. */
    record FaultsEnded(long micros) implements SoakEvent {
    }

    /** A position in a shard: sequence number, then sub-sequence number; SHARD_END is after all. */
    record Position(String sequence, long subSequence) implements Comparable<Position> {
        private static final Comparator<Position> ORDER = Comparator
                .comparing((Position p) -> p.sequence.equals(Checkpointed.SHARD_END))
                .thenComparing(p -> p.sequence.equals(Checkpointed.SHARD_END) ? BigInteger.ZERO
                        : new BigInteger(p.sequence))
                .thenComparingLong(Position::subSequence);

        @Override
        public int compareTo(Position other) {
            return ORDER.compare(this, other);
        }

        @Override
        public String toString() {
            return sequence + "/" + subSequence;
        }
    }
}
