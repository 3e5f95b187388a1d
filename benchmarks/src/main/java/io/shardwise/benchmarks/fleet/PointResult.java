package io.shardwise.benchmarks.fleet;

import java.util.Map;

/**
 * One consumer's figures at one scale point. Times are milliseconds, -1 when not reached before the
 * time-out. Units are per second over the steady window, by (table role, operation).
 */
record PointResult(String consumer, int shards, int workers, long allProcessingMillis, long balancedMillis,
                   String countsAtTimeout, long rebalanceMillis, String rebalanceCountsAtTimeout, long failoverMillis, int failoverShards, long reshardMillis,
                   double cpuSecondsPerMillion, double recordsPerSecond, Map<String, KindRates> kinds,
                   Map<String, Double> kinesisCalls) {

    /** Per (table role, operation): calls/s, error answers/s (failed conditions among them), read and write units/s as billed, index part, DynamoDB Local's figure. */
    record KindRates(double calls, double errors, double readUnits, double writeUnits, double indexWriteUnits, double reported,
                     long estimatedCalls, double itemsPerCall) {
    }

    double readUnits() {
        return kinds.values().stream().mapToDouble(KindRates::readUnits).sum();
    }

    double writeUnits() {
        return kinds.values().stream().mapToDouble(KindRates::writeUnits).sum();
    }

    double reportedUnits() {
        return kinds.values().stream().mapToDouble(KindRates::reported).sum();
    }

    double dollarsPerMonth() {
        return Pricing.dollarsPerMonth(readUnits(), writeUnits());
    }
}
