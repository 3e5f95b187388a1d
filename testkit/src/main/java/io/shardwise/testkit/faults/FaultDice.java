package io.shardwise.testkit.faults;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seeded fault decisions. The n-th call of an operation draws from a generator seeded by
 * (seed, operation, n), so the faults of one operation do not depend on how calls of other
 * operations interleave with it: the same seed and the same calls give the same faults.
 */
final class FaultDice {

    /** What to do to one call; {@code entries} draws the per-entry throttles of a PutRecords call. */
    record Plan(Duration latency, boolean drop, int errorStatus, boolean throttle, SplittableRandom entries) {
    }

    private final long seed;
    private final Map<String, AtomicLong> callsPerOperation = new ConcurrentHashMap<>();

    FaultDice(long seed) {
        this.seed = seed;
    }

    Plan roll(String operation, FaultRules rules) {
        long call = callsPerOperation.computeIfAbsent(operation, k -> new AtomicLong()).getAndIncrement();
        SplittableRandom random = new SplittableRandom(
                seed ^ (operation.hashCode() * 0x9E3779B97F4A7C15L) ^ (call * 0xC2B2AE3D27D4EB4FL));
        // Always draw the same number of values in the same order, so changing one probability
        // does not shift the draws of the others.
        double drop = random.nextDouble();
        double error = random.nextDouble();
        double throttle = random.nextDouble();
        double p500 = rules.error500Probability(operation);
        int status = error < p500 ? 500 : error < p500 + rules.error503Probability(operation) ? 503 : 0;
        return new Plan(rules.latency(operation), drop < rules.dropProbability(operation), status,
                throttle < rules.throttleCallProbability(operation), random.split());
    }
}
