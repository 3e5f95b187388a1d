package io.shardwise.consumer;

/** Whether this worker may hold leases now (its heartbeat is recent enough); see {@link WorkerLiveness}. */
@FunctionalInterface
interface Liveness {
    boolean isAlive();
}
