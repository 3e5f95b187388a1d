package io.shardwise.it.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A chaos soak's fault schedule, drawn from a seed (the same seed and length give the same
 * schedule): a split and a merge, SIGKILLs and graceful stops of workers each followed by a
 * restart (one worker down at a time), and windows of Kinesis and DynamoDB proxy faults (one
 * profile at a time per proxy). Every action lies within the chaos phase.
 */
record SoakSchedule(long seed, Duration chaosLength, List<Action> actions) {

    /** What happens at an offset from the start of the chaos phase. */
    record Action(Duration at, Kind kind, int slot, String profile) {
        @Override
        public String toString() {
            return String.format("%6.1f s %s%s", at.toMillis() / 1000.0, kind,
                    kind.name().contains("FAULTS") ? " " + profile : slot >= 0 ? " slot " + slot : "");
        }
    }

    enum Kind {
        SPLIT, MERGE, KILL, STOP, RESTART, KINESIS_FAULTS, KINESIS_FAULTS_OFF, DYNAMODB_FAULTS, DYNAMODB_FAULTS_OFF
    }

    /** Kinesis fault profiles, applied by {@link SoakFaultProfiles}. */
    static final List<String> KINESIS_PROFILES = List.of("getrecords-throttle", "getrecords-errors",
            "getrecords-latency", "getrecords-drops", "putrecords-throttle-and-errors", "listshards-throttle");

    /** DynamoDB fault profiles, applied by {@link SoakFaultProfiles}. */
    static final List<String> DYNAMODB_PROFILES = List.of("throttle-all", "errors-all", "drops-all", "scan-latency",
            "getitem-latency", "updateitem-throttle", "updateitem-stall");

    static SoakSchedule draw(long seed, Duration chaos, int workerSlots) {
        Random random = new Random(seed);
        long length = chaos.toMillis();
        List<Action> actions = new ArrayList<>();
        actions.add(new Action(at(length * (15 + random.nextInt(10)) / 100), Kind.SPLIT, -1, ""));
        actions.add(new Action(at(length * (45 + random.nextInt(10)) / 100), Kind.MERGE, -1, ""));

        // Worker disruptions: one at a time, each restarted 3-8 s later, all done by 85% of the chaos.
        long t = length * 5 / 100 + random.nextInt(5_000);
        boolean killed = false;
        boolean stopped = false;
        while (true) {
            long down = 3_000 + random.nextInt(5_000);
            if (t + down > length * 85 / 100) {
                break;
            }
            // At least one of each kind, the rest SIGKILL two times in three.
            boolean kill = !killed || (stopped && random.nextInt(3) < 2);
            int slot = random.nextInt(workerSlots);
            actions.add(new Action(at(t), kill ? Kind.KILL : Kind.STOP, slot, ""));
            actions.add(new Action(at(t + down), Kind.RESTART, slot, ""));
            killed |= kill;
            stopped |= !kill;
            t += down + 6_000 + random.nextInt(10_000);
        }

        window(random, length, actions, Kind.KINESIS_FAULTS, Kind.KINESIS_FAULTS_OFF, KINESIS_PROFILES);
        window(random, length, actions, Kind.DYNAMODB_FAULTS, Kind.DYNAMODB_FAULTS_OFF, DYNAMODB_PROFILES);
        actions.sort(Comparator.comparing(Action::at));
        return new SoakSchedule(seed, chaos, List.copyOf(actions));
    }

    /** Fault windows of 5-12 s with 3-10 s of calm between them, each with a random profile. */
    private static void window(Random random, long length, List<Action> actions, Kind on, Kind off,
                               List<String> profiles) {
        long t = 2_000 + random.nextInt(8_000);
        while (true) {
            long span = 5_000 + random.nextInt(7_000);
            if (t + span > length - 1_000) {
                return;
            }
            String profile = profiles.get(random.nextInt(profiles.size()));
            actions.add(new Action(at(t), on, -1, profile));
            actions.add(new Action(at(t + span), off, -1, profile));
            t += span + 3_000 + random.nextInt(7_000);
        }
    }

    private static Duration at(long millis) {
        return Duration.ofMillis(millis);
    }

    long count(Kind kind) {
        return actions.stream().filter(a -> a.kind() == kind).count();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("schedule of seed " + seed + ":\n");
        actions.forEach(a -> text.append("  ").append(a).append('\n'));
        return text.toString();
    }
}
