package io.shardwise.benchmarks.fleet;

/**
 * DynamoDB on-demand prices used for the figures: us-east-1, standard table class, USD 0.125 per
 * million read request units and USD 0.625 per million write request units (the prices since the
 * November 2024 reduction); a month is 730 hours.
 */
final class Pricing {
    static final double READ_PER_MILLION = 0.125;
    static final double WRITE_PER_MILLION = 0.625;
    static final double SECONDS_PER_MONTH = 730 * 3600.0;

    private Pricing() {
    }

    static double dollarsPerMonth(double readUnitsPerSecond, double writeUnitsPerSecond) {
        return SECONDS_PER_MONTH * (readUnitsPerSecond * READ_PER_MILLION + writeUnitsPerSecond * WRITE_PER_MILLION)
                / 1e6;
    }
}
