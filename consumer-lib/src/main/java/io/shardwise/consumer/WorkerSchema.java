package io.shardwise.consumer;

/**
 * The attribute names of a Shardwise fleet's worker table (named {@code <lease table>} followed by
 * {@link ShardwiseConsumer#WORKER_TABLE_SUFFIX}): one small item per worker, for tools that show a
 * fleet's liveness and load.
 */
public final class WorkerSchema {
    /** The item key. */
    public static final String WORKER_ID = "workerId";
    /** Bumped by every heartbeat; a worker whose counter stops moving for the failover time is dead. */
    public static final String COUNTER = "counter";
    /** Wall-clock time of the last heartbeat (epoch millis), for operators; liveness never reads clocks. */
    public static final String HEARTBEAT_AT = "heartbeatAt";
    /** How many leases the worker held at its last heartbeat. */
    public static final String LEASE_COUNT = "leaseCount";
    /** Recent bytes per second of all the worker's leases together. */
    public static final String LOAD = "load";
    /** Lease key -> recent bytes per second, for the worker's hottest leases only. */
    public static final String THROUGHPUT = "throughput";
    /** Lease keys other workers asked this worker to hand over (the request itself is on the lease). */
    public static final String HANDOFF_REQUESTS = "handoffRequests";
    /** The reserved item counting lease-set changes; worker ids starting with '#' are refused. */
    public static final String LEASE_CHANGES_ITEM = "#lease-changes";
    /** On the {@value #LEASE_CHANGES_ITEM} item: the count. */
    public static final String CHANGES = "changes";

    private WorkerSchema() {
    }
}
