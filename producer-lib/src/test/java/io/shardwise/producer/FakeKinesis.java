package io.shardwise.producer;

import io.shardwise.aggregation.Deaggregation;
import io.shardwise.aggregation.Deaggregator;
import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.aggregation.HashKeys;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.HashKeyRange.Builder;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.SequenceNumberRange;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * An in-memory stand-in for the Kinesis PutRecords/ListShards API, for unit tests of the pipeline's
 * logic (the integration tests use the real local engine). It stores what it accepts per shard, can
 * throttle entries at random, fail whole calls, or stall (hold every answer until released).
 */
final class FakeKinesis implements KinesisAsyncClient {
    /** A user record as stored, after deaggregation. */
    record Stored(String shardId, String partitionKey, byte[] data, String sequenceNumber, long subSequence,
                  boolean outsideShardRange) {}

    private final ExecutorService answers = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-kinesis");
        t.setDaemon(true);
        return t;
    });
    private final Random random = new Random(42);
    private volatile List<Shard> shards;
    final Map<String, List<Stored>> stored = new ConcurrentHashMap<>();
    final List<Integer> requestSizes = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    volatile double throttleProbability;
    volatile String failEveryCallWith;
    /** Calls whose every entry is throttled, before the others are answered normally. */
    final AtomicInteger throttleAllOfNextCalls = new AtomicInteger();
    /** When set, the shards become these right after the next PutRecords answer is computed. */
    volatile List<Shard> reshardAfterNextPut;
    private volatile CompletableFuture<Void> stall = CompletableFuture.completedFuture(null);
    private long sequence;

    FakeKinesis(int shardCount) {
        this.shards = evenShards(shardCount, 0);
    }

    static List<Shard> evenShards(int count, int firstId) {
        List<Shard> list = new ArrayList<>();
        BigInteger step = HashKeys.MAX.add(BigInteger.ONE).divide(BigInteger.valueOf(count));
        for (int i = 0; i < count; i++) {
            BigInteger start = step.multiply(BigInteger.valueOf(i));
            BigInteger end = i == count - 1 ? HashKeys.MAX : start.add(step).subtract(BigInteger.ONE);
            list.add(shard("shardId-" + String.format("%012d", firstId + i), start, end));
        }
        return list;
    }

    static Shard shard(String id, BigInteger start, BigInteger end) {
        Builder range = software.amazon.awssdk.services.kinesis.model.HashKeyRange.builder()
                .startingHashKey(start.toString()).endingHashKey(end.toString());
        return Shard.builder().shardId(id).hashKeyRange(range.build())
                .sequenceNumberRange(SequenceNumberRange.builder().startingSequenceNumber("0").build()).build();
    }

    void reshard(List<Shard> newShards) {
        this.shards = newShards;
    }

    /** Holds the answers of calls from now on; returns what releases them (or {@link #resume()}). */
    CompletableFuture<Void> stall() {
        CompletableFuture<Void> held = new CompletableFuture<>();
        stall = held;
        return held;
    }

    void resume() {
        stall.complete(null);
    }

    @Override
    public CompletableFuture<ListShardsResponse> listShards(ListShardsRequest request) {
        return CompletableFuture.completedFuture(ListShardsResponse.builder().shards(shards).build());
    }

    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
        calls.incrementAndGet();
        requestSizes.add(request.records().size());
        return stall.thenApplyAsync(ignored -> answer(request), answers);
    }

    private synchronized PutRecordsResponse answer(PutRecordsRequest request) {
        if (failEveryCallWith != null) {
            throw KinesisException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode(failEveryCallWith).errorMessage("fake failure").build()).build();
        }
        List<PutRecordsResultEntry> results = new ArrayList<>();
        int failed = 0;
        boolean throttleAll = throttleAllOfNextCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        for (PutRecordsRequestEntry entry : request.records()) {
            if (throttleAll || random.nextDouble() < throttleProbability) {
                failed++;
                results.add(PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                        .errorMessage("Rate exceeded for shard").build());
                continue;
            }
            BigInteger hash = HashKeys.effective(entry.partitionKey(), entry.explicitHashKey());
            Shard shard = shards.stream().filter(s -> range(s).contains(hash)).findFirst().orElseThrow();
            String seq = String.valueOf(++sequence);
            Deaggregation records = Deaggregator.deaggregate(entry.partitionKey(), entry.explicitHashKey(),
                    entry.data().asByteArray(), seq, range(shard));
            List<Stored> list = stored.computeIfAbsent(shard.shardId(), s -> new CopyOnWriteArrayList<>());
            records.records().forEach(r -> list.add(new Stored(shard.shardId(), r.partitionKey(), r.data(), seq,
                    r.subSequenceNumber(), r.outsideShardRange())));
            results.add(PutRecordsResultEntry.builder().shardId(shard.shardId()).sequenceNumber(seq).build());
        }
        List<Shard> next = reshardAfterNextPut;
        if (next != null) {
            shards = next;
            reshardAfterNextPut = null;
        }
        return PutRecordsResponse.builder().records(results).failedRecordCount(failed).build();
    }

    static HashKeyRange range(Shard shard) {
        return HashKeyRange.of(shard.hashKeyRange().startingHashKey(), shard.hashKeyRange().endingHashKey());
    }

    /** What a range-aware reader (the KCL, ours) sees: sub-records outside their shard's range are skipped. */
    List<Stored> all() {
        List<Stored> all = new ArrayList<>();
        stored.values().forEach(list -> list.stream().filter(r -> !r.outsideShardRange()).forEach(all::add));
        return all;
    }

    long outsideShardRange() {
        return stored.values().stream().flatMap(List::stream).filter(Stored::outsideShardRange).count();
    }

    @Override
    public String serviceName() {
        return "kinesis";
    }

    @Override
    public void close() {
        answers.shutdownNow();
    }
}
