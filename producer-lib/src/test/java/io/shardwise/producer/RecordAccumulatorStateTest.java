package io.shardwise.producer;

import io.shardwise.aggregation.HashKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.aggregation.HashKeys;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The accumulator driven by random action sequences, with the test playing the sender and Kinesis:
 * records appended over a few keys, drains, answers in any order with random per-entry failures
 * (retried with a backoff, or expired past their time to live), shard splits and merges while records
 * are queued and in flight, expiry, flushes, and time passing. Asserted throughout: in ordered mode at
 * most one request in flight per shard and one Kinesis record per shard per request, and each key's
 * records stored in send order (gaps only where records expired); at the end, after close and a final
 * drain, every record's future is completed exactly once (stored or expired), nothing is held, and every
 * flush completed, only once the records before it had results.
 */
class RecordAccumulatorStateTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Duration TTL = Duration.ofSeconds(1);
    private static final int KEYS = 6;

    @Property(tries = 200)
    void orderedKeepsPerKeyOrderAndLosesNoFuture(@ForAll("ordered") ActionChain<World> chain) {
        chain.withInvariant("one request per shard, keys in order", World::checkInvariants).run().finishAndCheck();
    }

    @Property(tries = 100)
    void unorderedLosesNoFuture(@ForAll("unordered") ActionChain<World> chain) {
        chain.withInvariant("every record in one place", World::checkInvariants).run().finishAndCheck();
    }

    @Provide
    Arbitrary<ActionChain<World>> ordered() {
        return chains(true);
    }

    @Provide
    Arbitrary<ActionChain<World>> unordered() {
        return chains(false);
    }

    private static Arbitrary<ActionChain<World>> chains(boolean ordered) {
        return Arbitraries.of(true, false).flatMap(aggregation -> Arbitraries.of(0.0, 1.0).flatMap(rateLimit ->
                ActionChain.startWith(() -> new World(ordered, aggregation, rateLimit))
                        .withAction(6, new Append())
                        .withAction(3, new Drain())
                        .withAction(3, new Answer())
                        .withAction(2, new PassTime())
                        .withAction(1, new Expire())
                        .withAction(1, new LoadFirstMap())
                        .withAction(1, new Reshard())
                        .withAction(1, new Flush())
                        .withMaxTransformations(80)));
    }

    // ---------------------------------------------------------------- actions

    private static final class Append implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.integers().between(0, KEYS - 1).flatMap(key -> Arbitraries.integers().between(1, 120)
                    .map(size -> Transformer.mutate("append key-" + key + " (" + size + " bytes)", w -> w.append(key, size))));
        }
    }

    private static final class Drain implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("drain", World::drain));
        }
    }

    private static final class Answer implements Action.Dependent<World> {
        @Override
        public boolean precondition(World world) {
            return !world.inFlight.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<World>> transformer(World world) {
            return Arbitraries.integers().between(0, world.inFlight.size() - 1).flatMap(i -> Arbitraries.longs()
                    .map(seed -> Transformer.mutate("answer request " + i + " (seed " + seed + ")", w -> w.answer(i, seed))));
        }
    }

    private static final class PassTime implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.oneOf(Arbitraries.longs().between(1, 60), Arbitraries.longs().between(400, 1200))
                    .map(ms -> Transformer.mutate(ms + " ms pass", w -> w.now += ms * MS));
        }
    }

    private static final class Expire implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("expire", World::expire));
        }
    }

    private static final class LoadFirstMap implements Action.Independent<World> {
        @Override
        public boolean precondition(World world) {
            return world.shards.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.integers().between(1, 4).map(n -> Transformer.mutate("map of " + n + " shards",
                    w -> w.loadEvenShards(n)));
        }
    }

    private static final class Reshard implements Action.Dependent<World> {
        @Override
        public boolean precondition(World world) {
            return !world.shards.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<World>> transformer(World world) {
            int n = world.shards.size();
            Arbitrary<Transformer<World>> split = Arbitraries.integers().between(0, n - 1)
                    .map(i -> Transformer.mutate("split shard " + i, w -> w.split(i)));
            if (n == 1) {
                return split;
            }
            Arbitrary<Transformer<World>> merge = Arbitraries.integers().between(0, n - 2)
                    .map(i -> Transformer.mutate("merge shards " + i + " and " + (i + 1), w -> w.merge(i)));
            return Arbitraries.oneOf(split, merge);
        }
    }

    private static final class Flush implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("flush", World::flush));
        }
    }

    // ---------------------------------------------------------------- the world: accumulator, sender, Kinesis

    static final class World {
        final boolean ordered;
        final RecordAccumulator accumulator;
        final ReshardReconciler reshards = new ReshardReconciler(TTL.toNanos());
        long now = System.nanoTime();
        /** The open shards as Kinesis has them, by hash key range; empty until the first map. */
        final List<ShardMap.Shard> shards = new ArrayList<>();
        int nextShardId;
        final List<PutBatch> inFlight = new ArrayList<>();
        final List<PendingRecord> appended = new ArrayList<>();
        final Map<PendingRecord, Integer> seqInKey = new IdentityHashMap<>();
        final Map<PendingRecord, String> fate = new IdentityHashMap<>();
        final Map<String, Integer> lastStoredSeq = new HashMap<>();
        final Map<String, Integer> appendedPerKey = new HashMap<>();
        final List<String> violations = new ArrayList<>();
        final List<CompletableFuture<Void>> flushes = new ArrayList<>();

        World(boolean ordered, boolean aggregation, double rateLimit) {
            this.ordered = ordered;
            this.accumulator = new RecordAccumulator(new AccumulatorConfig(aggregation, 256, ordered, Duration.ofMillis(5),
                    TTL, rateLimit, 4, 2, 0.8), reshards);
        }

        void append(int key, int size) {
            String partitionKey = "key-" + key;
            byte[] data = new byte[size];
            int seq = appendedPerKey.merge(partitionKey, 1, Integer::sum);
            PendingRecord record = new PendingRecord(partitionKey, null, data, HashKey.effective(partitionKey, null),
                    partitionKey.getBytes(StandardCharsets.UTF_8).length + size, !ordered, now);
            appended.add(record);
            seqInKey.put(record, seq);
            accumulator.append(record);
        }

        void drain() {
            for (PutBatch batch : accumulator.drain(now)) {
                batch.markSent(Instant.now(), now);
                inFlight.add(batch);
            }
        }

        /** Kinesis answers request {@code index}: each entry stored, throttled or failed, at random. */
        void answer(int index, long seed) {
            Random random = new Random(seed);
            PutBatch batch = inFlight.remove(index);
            List<PendingRecord> stored = new ArrayList<>();
            List<PendingRecord> expired = new ArrayList<>();
            Map<ShardQueue, List<PendingRecord>> retry = new LinkedHashMap<>();
            Map<ShardQueue, Integer> throttled = new LinkedHashMap<>();
            List<ShardQueue> succeeded = new ArrayList<>();
            for (PutBatch.Entry entry : batch.entries()) {
                int roll = random.nextInt(10);
                if (roll < 6) {
                    stored.addAll(entry.userRecords());
                    if (!succeeded.contains(entry.queue())) {
                        succeeded.add(entry.queue());
                    }
                    continue;
                }
                if (roll < 8) {
                    throttled.merge(entry.queue(), 1, Integer::sum);
                }
                for (PendingRecord record : entry.userRecords()) {
                    record.addAttempt(new Attempt(Instant.now(), Duration.ZERO, "Failed", "random failure"));
                    if (now >= record.deadlineNanos(TTL.toNanos())) {
                        expired.add(record);
                    } else {
                        retry.computeIfAbsent(entry.queue(), q -> new ArrayList<>()).add(record);
                    }
                }
            }
            accumulator.answered(batch, MS, throttled, succeeded, now);
            retry.forEach((queue, records) -> accumulator.requeue(queue, records, now + random.nextInt(20) * MS));
            for (PendingRecord record : stored) {
                store(record);
            }
            finish(stored, "stored");
            finish(expired, "expired");
        }

        void expire() {
            finish(accumulator.expire(now), "expired");
        }

        void flush() {
            List<PendingRecord> before = new ArrayList<>(appended);
            CompletableFuture<Void> flush = accumulator.flush();
            flushes.add(flush);
            flush.thenRun(() -> {
                for (PendingRecord record : before) {
                    if (!fate.containsKey(record)) {
                        violations.add("a flush completed before record " + record.partitionKey + "#"
                                + seqInKey.get(record) + " had a result");
                    }
                }
            });
        }

        void loadEvenShards(int n) {
            BigInteger width = HashKeys.MAX.add(BigInteger.ONE).divide(BigInteger.valueOf(n));
            for (int i = 0; i < n; i++) {
                BigInteger start = width.multiply(BigInteger.valueOf(i));
                BigInteger end = i == n - 1 ? HashKeys.MAX : start.add(width).subtract(BigInteger.ONE);
                shards.add(shard(start, end));
            }
            install();
        }

        void split(int i) {
            ShardMap.Shard parent = shards.remove(i);
            BigInteger start = parent.range().start();
            BigInteger end = parent.range().end();
            BigInteger mid = start.add(end.subtract(start).shiftRight(1));
            shards.add(i, shard(mid.add(BigInteger.ONE), end));
            shards.add(i, shard(start, mid));
            install();
        }

        void merge(int i) {
            ShardMap.Shard left = shards.remove(i);
            ShardMap.Shard right = shards.remove(i);
            shards.add(i, shard(left.range().start(), right.range().end()));
            install();
        }

        private ShardMap.Shard shard(BigInteger start, BigInteger end) {
            return new ShardMap.Shard("shard-" + nextShardId++, new HashKeyRange(start, end));
        }

        private void install() {
            accumulator.applyShardMap(ShardMap.of(List.copyOf(shards)), now);
        }

        private void store(PendingRecord record) {
            if (!ordered) {
                return;
            }
            int seq = seqInKey.get(record);
            Integer last = lastStoredSeq.put(record.partitionKey, seq);
            if (last != null && last >= seq) {
                violations.add(record.partitionKey + "#" + seq + " stored after #" + last);
            }
        }

        private void finish(List<PendingRecord> records, String how) {
            for (PendingRecord record : records) {
                String before = fate.put(record, how);
                if (before != null) {
                    violations.add(record.partitionKey + "#" + seqInKey.get(record) + " " + how + " after being " + before);
                }
            }
            List<CompletableFuture<Void>> flushesDone = new ArrayList<>();
            accumulator.finish(records, flushesDone);
            for (PendingRecord record : records) {
                if (how.equals("stored")) {
                    record.complete(new SendResult("shard", "1", 0, List.of()));
                } else {
                    record.completeExceptionally(new RecordExpiredException(TTL, record.attempts()));
                }
            }
            flushesDone.forEach(f -> f.complete(null));
        }

        void checkInvariants() {
            assertThat(violations).isEmpty();
            if (ordered) {
                Map<ShardQueue, Integer> requestsPerQueue = new IdentityHashMap<>();
                for (PutBatch batch : inFlight) {
                    Set<ShardQueue> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
                    for (PutBatch.Entry entry : batch.entries()) {
                        if (!entry.queue().isUnknown()) {
                            assertThat(seen.add(entry.queue())).as("one Kinesis record per shard per request").isTrue();
                        }
                    }
                    batch.queues().forEach(q -> requestsPerQueue.merge(q, 1, Integer::sum));
                }
                assertThat(requestsPerQueue.values()).as("requests in flight per shard").allMatch(n -> n == 1);
            }
            long unfinished = appended.stream().filter(r -> !fate.containsKey(r)).count();
            assertThat(accumulator.outstanding()).isEqualTo(unfinished);
        }

        /** Closes, then plays sender and an always-succeeding Kinesis until nothing is held. */
        void finishAndCheck() {
            accumulator.close();
            for (int round = 0; round < 1_000 && (accumulator.outstanding() > 0 || !inFlight.isEmpty()); round++) {
                now += 50 * MS;
                expire();
                drain();
                while (!inFlight.isEmpty()) {
                    PutBatch batch = inFlight.remove(0);
                    List<PendingRecord> stored = new ArrayList<>();
                    batch.entries().forEach(e -> stored.addAll(e.userRecords()));
                    accumulator.answered(batch, MS, Map.of(), List.copyOf(batch.queues()), now);
                    stored.forEach(this::store);
                    finish(stored, "stored");
                }
            }
            assertThat(violations).isEmpty();
            assertThat(accumulator.outstanding()).isZero();
            assertThat(accumulator.abandonAll()).isEmpty();
            assertThat(appended).allMatch(CompletableFuture::isDone);
            assertThat(fate).hasSameSizeAs(appended);
            assertThat(flushes).allMatch(CompletableFuture::isDone);
        }
    }
}
