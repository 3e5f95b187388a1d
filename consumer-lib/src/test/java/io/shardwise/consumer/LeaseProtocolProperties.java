package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.kinesis.StreamReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The lease protocol, run by real {@link LeaseCoordinator}s on in-memory stores and a virtual
 * clock, under random schedules: rounds in any order, heartbeats that come late or not at all,
 * crashes, restarts and new workers. Shard threads are real (reading nothing), so handoffs run as
 * in production.
 *
 * <p>Asserted after every step: no lease is delivering on two workers at once. At the end, once
 * every live worker heartbeats and runs rounds again: no lease is lost (each runs on exactly one
 * live worker) and counts are even within one. The safety-net scan interval (15 s, run by the
 * syncer alone) is longer than most chains, so changes are noticed through the worker table's
 * signals; a lease another tool adds is found by the syncer's safety net and announced.
 */
class LeaseProtocolProperties {
    private static final Duration FAILOVER = Duration.ofMillis(3500);
    private static final int LEASES = 7;

    @Property(tries = 12)
    void noTwoWorkersDeliverOneLease_andNoLeaseIsLost(@ForAll("schedules") ActionChain<Fleet> chain) {
        Fleet fleet = chain.withInvariant("at most one delivering owner", Fleet::atMostOneDeliveringOwner).run();
        try {
            fleet.settle();
        } finally {
            fleet.close();
        }
    }

    @Provide
    Arbitrary<ActionChain<Fleet>> schedules() {
        return ActionChain.<Fleet>startWith(Fleet::new)
                .withAction(4, step(Arbitraries.integers().between(50, 1500)
                        .map(ms -> Transformer.mutate("advance " + ms + " ms", f -> f.advance(ms)))))
                .withAction(4, step(member().map(m -> Transformer.mutate("heartbeat " + m, f -> f.beat(m)))))
                .withAction(6, step(member().map(m -> Transformer.mutate("round " + m, f -> f.round(m)))))
                .withAction(1, step(member().map(m -> Transformer.mutate("crash " + m, f -> f.crash(m)))))
                .withAction(1, step(member().map(m -> Transformer.mutate("restart " + m, f -> f.restart(m)))))
                .withAction(1, step(Arbitraries.just(Transformer.<Fleet>mutate("join", Fleet::join))))
                .withAction(1, step(Arbitraries.just(Transformer.<Fleet>mutate("a tool adds a lease", Fleet::addLease))))
                .withMaxTransformations(80);
    }

    private static Arbitrary<Integer> member() {
        return Arbitraries.integers().between(0, 4);
    }

    private static Action.Independent<Fleet> step(Arbitrary<Transformer<Fleet>> transformers) {
        return () -> transformers;
    }

    /** The fleet under test: its stores, its clock, and each worker's model of its own heartbeat. */
    static final class Fleet implements AutoCloseable {
        private final AtomicLong clock = new AtomicLong(1_000_000_000L);
        private final InMemoryLeaseStore leases = new InMemoryLeaseStore("leases");
        private final InMemoryWorkerStore workers = new InMemoryWorkerStore("workers");
        private final Map<String, Member> members = new LinkedHashMap<>();

        Fleet() {
            for (int i = 0; i < LEASES; i++) {
                leases.createLease("shard-" + i, Checkpoint.TRIM_HORIZON, Set.of(), null, null);
            }
            for (String id : List.of("w0", "w1", "w2")) {
                start(id);
            }
        }

        /** One worker process: a coordinator, and the heartbeat it last wrote. */
        final class Member {
            final String id;
            final LeaseCoordinator coordinator;
            long counter;
            long lastBeatStart = Long.MIN_VALUE / 2;
            boolean up = true;

            Member(String id) {
                this.id = id;
                this.coordinator = new LeaseCoordinator(timing(id), policy(id), leases, workers, new NoShards(),
                        ConsumerMetrics.NONE, shard -> new IdleProcessor(), clock::get);
                this.counter = workers.counter(id);
            }

            /** As WorkerLiveness: alive while the last successful heartbeat started less than F - F/8 ago. */
            boolean alive() {
                return up && clock.get() - lastBeatStart < FAILOVER.minus(FAILOVER.dividedBy(8)).toNanos();
            }
        }

        private void start(String id) {
            Member member = new Member(id);
            members.put(id, member);
            member.coordinator.attach(member::alive);
            beat(member);
        }

        private Member at(int index) {
            List<Member> all = new ArrayList<>(members.values());
            return all.get(index % all.size());
        }

        void advance(int millis) {
            clock.addAndGet(Duration.ofMillis(millis).toNanos());
            fence();
        }

        /** As WorkerLiveness's fence check: a worker whose heartbeat is late stops every shard. */
        private void fence() {
            members.values().stream().filter(m -> m.up && !m.alive()).forEach(m -> m.coordinator.stopAllShards());
        }

        void beat(int index) {
            beat(at(index));
        }

        private void beat(Member m) {
            if (!m.up) {
                return;
            }
            long started = clock.get();
            workers.heartbeat(m.id, m.counter, m.coordinator.recentThroughput(), Duration.ofSeconds(1))
                    .ifPresentOrElse(counter -> {
                        m.counter = counter;
                        m.lastBeatStart = started;
                    }, () -> m.counter = workers.counter(m.id));
        }

        void round(int index) {
            round(at(index));
        }

        private void round(Member m) {
            if (m.up) {
                m.coordinator.round();
                m.coordinator.watchHandoffs();
            }
        }

        void crash(int index) {
            Member m = at(index);
            if (m.up && members.values().stream().filter(o -> o.up).count() > 1) {
                m.up = false;
                m.coordinator.halt();
            }
        }

        void restart(int index) {
            Member m = at(index);
            if (!m.up) {
                start(m.id);
            }
        }

        void join() {
            if (members.size() < 5) {
                start("w" + members.size());
            }
        }

        /** Each worker's state and the table's owners, for failure messages. */
        String describe() {
            StringBuilder b = new StringBuilder();
            members.values().forEach(m -> b.append(m.id).append(m.up ? "+" : "-").append(m.alive() ? "A" : "D")
                    .append(m.coordinator.heldShards()).append(m.coordinator.deliveringShards()).append(' '));
            return b.append(leases.all().stream().map(l -> l.leaseKey() + "=" + l.owner()).toList()).toString();
        }

        /** A lease written by another tool: no worker announces it; the syncer's safety-net scan finds it. */
        void addLease() {
            leases.createLease("added-" + leases.all().size(), Checkpoint.TRIM_HORIZON, Set.of(), null, null);
        }

        void atMostOneDeliveringOwner() {
            Map<String, List<String>> owners = new HashMap<>();
            for (Member m : members.values()) {
                m.coordinator.deliveringShards().forEach(l -> owners.computeIfAbsent(l, k -> new ArrayList<>()).add(m.id));
            }
            owners.forEach((lease, who) -> assertThat(who).as("workers delivering %s", lease).hasSize(1));
        }

        /**
         * No more faults: every live worker heartbeats and runs rounds for a while (virtual time;
         * real pauses let shard threads hand over); then every lease runs on exactly one live worker.
         */
        void settle() {
            for (int i = 0; i < 60; i++) {
                advance(300);
                members.values().forEach(this::beat);
                members.values().forEach(this::round);
                atMostOneDeliveringOwner();
                sleep(10);
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                advance(300);
                members.values().forEach(this::beat);
                members.values().forEach(this::round);
                atMostOneDeliveringOwner();
                Map<String, Integer> counts = new HashMap<>();
                int delivering = 0;
                for (Member m : members.values()) {
                    if (m.up) {
                        int held = m.coordinator.deliveringShards().size();
                        counts.put(m.id, held);
                        delivering += held;
                    }
                }
                assertThat(delivering).as("leases delivering on live workers %s; %s", counts, describe())
                        .isEqualTo(leases.all().size());
                assertThat(counts.values().stream().mapToInt(Integer::intValue).max().orElse(0)
                        - counts.values().stream().mapToInt(Integer::intValue).min().orElse(0))
                        .as("lease counts %s", counts).isLessThanOrEqualTo(1);
            });
        }

        @Override
        public void close() {
            members.values().forEach(m -> m.coordinator.halt());
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static LeaseTiming timing(String worker) {
        return new LeaseTiming(worker, FAILOVER, FAILOVER.multipliedBy(2).dividedBy(3), FAILOVER.dividedBy(8),
                FAILOVER.dividedBy(6), Duration.ofSeconds(60), Duration.ofSeconds(15), 1, Duration.ofSeconds(10));
    }

    private static ShardPolicy policy(String worker) {
        return new ShardPolicy(worker, Integer.MAX_VALUE, FailurePolicy.RETRY_FOREVER, null, (s, e) -> { }, false);
    }

    /** A processor with nothing to do; it checkpoints when asked to hand over, as a careful one would. */
    private static final class IdleProcessor implements RecordProcessor {
        @Override
        public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind) {
        }

        @Override
        public void shardEnded(Checkpointer checkpointer) {
            checkpointer.checkpoint(Checkpoint.SHARD_END);
        }
    }

    /** The leases are all there from the start; nothing to sync. */
    private static final class NoShards implements LeaseSync {
        private final StreamScope scope = StreamScope.single(new StreamReference("s", null), InitialPosition.trimHorizon(),
                IdleRetriever::new);

        @Override
        public int sync(TableSnapshot snapshot) {
            return 0;
        }

        @Override
        public StreamScope scopeOf(String leaseKey) {
            return scope;
        }

        @Override
        public List<HashKeyRange> streamHoles() {
            return List.of();
        }
    }

    /** A shard with no records: every read waits a little and returns an empty batch. */
    private static final class IdleRetriever implements Retriever {
        private final StopSignal stop;

        IdleRetriever(String shardId, Checkpoint start, StopSignal stop) {
            this.stop = stop;
        }

        @Override
        public RecordBatch next() {
            return stop.sleep(5) ? new RecordBatch(List.of(), 0, null) : null;
        }
    }
}
