package io.shardwise.testkit.faults;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which faults a {@link FaultProxy} injects. Immutable; build with {@link #builder()} and swap on a
 * running proxy with {@link FaultProxy#setRules(FaultRules)}.
 *
 * <p>Per-operation rules take an operation name such as {@code "PutRecords"} or
 * {@code "UpdateItem"} (the {@code Kinesis_20131202.} or {@code DynamoDB_20120810.} prefix of the
 * X-Amz-Target header may be included or not) or
 * {@link #ANY_OPERATION}; a rule for a named operation wins over the {@code ANY_OPERATION} rule of
 * the same kind. Probabilities are in [0, 1] and are drawn from the proxy's seed, so a run with the
 * same seed and the same sequence of calls injects the same faults.
 */
public final class FaultRules {

    /** Matches every operation. */
    public static final String ANY_OPERATION = "*";

    private static final FaultRules NONE = builder().build();

    private final Map<String, Double> throttleCalls;
    private final Map<String, Double> errors500;
    private final Map<String, Double> errors503;
    private final Map<String, Double> drops;
    private final Map<String, Duration> latency;
    private final double throttleEntries;
    private final Predicate<String> throttledPartitionKeys;
    private final boolean shardLimits;
    private final Set<String> goneShards;

    private FaultRules(Builder b) {
        this.throttleCalls = Map.copyOf(b.throttleCalls);
        this.errors500 = Map.copyOf(b.errors500);
        this.errors503 = Map.copyOf(b.errors503);
        this.drops = Map.copyOf(b.drops);
        this.latency = Map.copyOf(b.latency);
        this.throttleEntries = b.throttleEntries;
        this.throttledPartitionKeys = b.throttledPartitionKeys;
        this.shardLimits = b.shardLimits;
        this.goneShards = Set.copyOf(b.goneShards);
    }

    /** No faults: every call passes through. */
    public static FaultRules none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these rules, to derive changed rules from. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.throttleCalls.putAll(throttleCalls);
        b.errors500.putAll(errors500);
        b.errors503.putAll(errors503);
        b.drops.putAll(drops);
        b.latency.putAll(latency);
        b.throttleEntries = throttleEntries;
        b.throttledPartitionKeys = throttledPartitionKeys;
        b.shardLimits = shardLimits;
        b.goneShards.addAll(goneShards);
        return b;
    }

    /** "Kinesis_20131202.PutRecords" and "PutRecords" both name PutRecords. */
    static String operationName(String operation) {
        Objects.requireNonNull(operation, "operation");
        return operation.substring(operation.lastIndexOf('.') + 1);
    }

    double throttleCallProbability(String operation) {
        return lookup(throttleCalls, operation, 0.0);
    }

    double error500Probability(String operation) {
        return lookup(errors500, operation, 0.0);
    }

    double error503Probability(String operation) {
        return lookup(errors503, operation, 0.0);
    }

    double dropProbability(String operation) {
        return lookup(drops, operation, 0.0);
    }

    Duration latency(String operation) {
        return lookup(latency, operation, Duration.ZERO);
    }

    double throttleEntryProbability() {
        return throttleEntries;
    }

    boolean throttlesPartitionKey(String partitionKey) {
        return throttledPartitionKeys != null && throttledPartitionKeys.test(partitionKey);
    }

    /** Whether PutRecords responses may need rewriting under these rules. */
    boolean touchesEntries() {
        return throttleEntries > 0 || throttledPartitionKeys != null || shardLimits;
    }

    boolean shardLimits() {
        return shardLimits;
    }

    Set<String> goneShards() {
        return goneShards;
    }

    private static <T> T lookup(Map<String, T> rules, String operation, T absent) {
        T specific = rules.get(operation);
        return specific != null ? specific : rules.getOrDefault(ANY_OPERATION, absent);
    }

    /** Collects fault rules. Every method returns this builder. */
    public static final class Builder {
        private final Map<String, Double> throttleCalls = new HashMap<>();
        private final Map<String, Double> errors500 = new HashMap<>();
        private final Map<String, Double> errors503 = new HashMap<>();
        private final Map<String, Double> drops = new HashMap<>();
        private final Map<String, Duration> latency = new HashMap<>();
        private double throttleEntries;
        private Predicate<String> throttledPartitionKeys;
        private boolean shardLimits;
        private final Set<String> goneShards = new HashSet<>();

        private Builder() {
        }

        /**
     * Answers this share of the operation's calls with 400 ProvisionedThroughputExceededException,
     * in the style of the operation's service (Kinesis or DynamoDB).
     */
        public Builder throttleCalls(String operation, double probability) {
            throttleCalls.put(operationName(operation), probability("throttleCalls", probability));
            return this;
        }

        /** Fails this share of PutRecords entries with ProvisionedThroughputExceededException. */
        public Builder throttleEntries(double probability) {
            throttleEntries = probability("throttleEntries", probability);
            return this;
        }

        /** Fails every PutRecords entry (and throttles every PutRecord call) whose partition key matches. */
        public Builder throttlePartitionKeys(Predicate<String> partitionKeys) {
            throttledPartitionKeys = Objects.requireNonNull(partitionKeys, "partitionKeys");
            return this;
        }

        /**
     * Answers these shares of the operation's calls with 500 (Kinesis: InternalFailure, DynamoDB:
     * InternalServerError) and 503 (ServiceUnavailable).
     */
        public Builder serverErrors(String operation, double probability500, double probability503) {
            probability("serverErrors sum", probability500 + probability503);
            errors500.put(operationName(operation), probability("probability500", probability500));
            errors503.put(operationName(operation), probability("probability503", probability503));
            return this;
        }

        /** Delays every call of the operation by this much before forwarding it. */
        public Builder latency(String operation, Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative, was " + delay);
            }
            latency.put(operationName(operation), delay);
            return this;
        }

        /** Closes the connection without an answer for this share of the operation's calls. */
        public Builder dropConnections(String operation, double probability) {
            drops.put(operationName(operation), probability("dropConnections", probability));
            return this;
        }

        /**
         * Enforces the real per-shard write limits (1 MiB/s of data plus partition key, 1,000
         * records/s) on PutRecord and PutRecords, with each shard's budget refilled continuously and
         * holding at most one second's worth.
         */
        public Builder shardLimits(boolean enabled) {
            shardLimits = enabled;
            return this;
        }

        /**
         * Makes shards vanish as a shard trimmed after the retention period does: ListShards leaves
         * them out, and GetShardIterator for one answers 400 ResourceNotFoundException. Replaces
         * any earlier set; none to bring them back.
         */
        public Builder goneShards(String... shardIds) {
            goneShards.clear();
            goneShards.addAll(Arrays.asList(shardIds));
            return this;
        }

        public FaultRules build() {
            return new FaultRules(this);
        }

        private static double probability(String name, double p) {
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException(name + " must be a probability in [0, 1], was " + p);
            }
            return p;
        }
    }
}
