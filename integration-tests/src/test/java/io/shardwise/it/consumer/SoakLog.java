package io.shardwise.it.consumer;

import io.shardwise.consumer.Checkpoint;

/**
 * The line format of a soak worker's events, one event per line:
 * {@code D worker processor shard sequence subSequence micros key:n} (a delivery),
 * {@code C worker processor shard sequence subSequence micros} (a checkpoint that succeeded),
 * {@code L worker processor shard micros} (the lease was lost),
 * {@code F worker processor shard micros last|batch reason} (a checkpoint failed).
 */
final class SoakLog {
    private SoakLog() {
    }

    static String delivery(String worker, String processor, String shard, String sequence, long subSequence,
                           String payload, long micros) {
        return "D " + worker + " " + processor + " " + shard + " " + sequence + " " + subSequence + " " + micros
                + " " + payload;
    }

    static String checkpoint(String worker, String processor, String shard, Checkpoint position, long micros) {
        return "C " + worker + " " + processor + " " + shard + " " + position.sequenceNumber() + " "
                + position.subSequenceNumber() + " " + micros;
    }

    static String leaseLost(String worker, String processor, String shard, long micros) {
        return "L " + worker + " " + processor + " " + shard + " " + micros;
    }

    static String checkpointFailed(String worker, String processor, String shard, boolean last, Exception reason,
                                   long micros) {
        return "F " + worker + " " + processor + " " + shard + " " + micros + " " + (last ? "last" : "batch") + " "
                + reason.toString().replace('\n', ' ');
    }

    /** The event of a line, or null for a line that is none (log output). */
    static SoakEvent parse(String line) {
        String[] f = line.split(" ");
        try {
            switch (f[0]) {
                case "D" -> {
                    String payload = f[7];
                    int colon = payload.lastIndexOf(':');
                    return new SoakEvent.Delivery(f[1], f[2], f[3], f[4], Long.parseLong(f[5]),
                            payload.substring(0, colon), Long.parseLong(payload.substring(colon + 1)),
                            Long.parseLong(f[6]));
                }
                case "C" -> {
                    return new SoakEvent.Checkpointed(f[1], f[2], f[3], f[4], Long.parseLong(f[5]),
                            Long.parseLong(f[6]));
                }
                case "F" -> {
                    return new SoakEvent.CheckpointFailed(f[1], f[2], f[3], f[5].equals("last"),
                            line.substring(line.indexOf(f[5]) + f[5].length()).trim(), Long.parseLong(f[4]));
                }
                case "L" -> {
                    return new SoakEvent.LeaseLost(f[1], f[2], f[3], Long.parseLong(f[4]));
                }
                default -> {
                    return null;
                }
            }
        } catch (RuntimeException notAnEvent) {
            return null;
        }
    }
}
