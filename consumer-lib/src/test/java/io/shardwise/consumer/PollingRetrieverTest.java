package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.kinesis.StreamReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The polling retriever's reaction to throttling and expired iterators, against an in-process shard
 * that answers GetShardIterator and GetRecords (this tests the retriever's logic, not Kinesis).
 */
class PollingRetrieverTest {
    private static final int RECORDS = 40;
    private static final long BACKOFF_BASE_MILLIS = 40;
    private static final long BACKOFF_CAP_MILLIS = 160;

    @Test
    void throttledCallsAreBackedOffAndNoRecordIsSkippedOrRepeated() {
        FakeShard shard = new FakeShard(RECORDS, 4);
        shard.throttleCalls(3, 4, 5, 9, 14);
        List<String> read = readToShardEnd(shard);

        assertThat(read).containsExactlyElementsOf(shard.sequenceNumbers());
        assertThat(shard.throttledCalls()).isEqualTo(5);
        // Every call after a throttled one waited a backoff: full jitter draws it from [1 ms, ceiling].
        for (int call : shard.callsAfterThrottle()) {
            assertThat(shard.gapBeforeCallMillis(call)).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void anExpiredIteratorResumesAfterTheLastSequenceNumberRead() {
        FakeShard shard = new FakeShard(RECORDS, 4);
        shard.expireCalls(3, 7);
        List<String> read = readToShardEnd(shard);

        assertThat(read).containsExactlyElementsOf(shard.sequenceNumbers());
        List<GetShardIteratorRequest> requests = shard.iteratorRequests();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).shardIteratorType()).isEqualTo(ShardIteratorType.TRIM_HORIZON);
        // Calls 1 and 2 answered records 0-7, call 3 expired: resume after record 7. Then calls 4, 5
        // and 6 answered records 8-19, call 7 expired: resume after record 19.
        assertThat(requests.subList(1, 3)).allSatisfy(r ->
                assertThat(r.shardIteratorType()).isEqualTo(ShardIteratorType.AFTER_SEQUENCE_NUMBER));
        assertThat(requests.get(1).startingSequenceNumber()).isEqualTo(shard.sequenceNumbers().get(7));
        assertThat(requests.get(2).startingSequenceNumber()).isEqualTo(shard.sequenceNumbers().get(19));
    }

    @Test
    void backoffDelaysStayWithinTheirBoundsAndAreJittered() {
        Backoff backoff = new Backoff(Duration.ofMillis(BACKOFF_BASE_MILLIS), Duration.ofMillis(BACKOFF_CAP_MILLIS));
        List<Long> delays = new ArrayList<>();
        for (int attempt = 0; attempt < 200; attempt++) {
            long ceiling = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << Math.min(attempt, 20));
            long delay = backoff.nextDelayMillis();
            assertThat(delay).isBetween(1L, ceiling);
            delays.add(delay);
        }
        // Full jitter: once capped, 197 draws from [1, 160] spread over the whole range, below half
        // the base as well as near the cap.
        List<Long> capped = delays.subList(3, delays.size());
        assertThat(capped.stream().distinct().count()).isGreaterThan(10);
        assertThat(capped).anySatisfy(d -> assertThat(d).isLessThan(BACKOFF_BASE_MILLIS / 2));
        assertThat(capped).anySatisfy(d -> assertThat(d).isGreaterThan(BACKOFF_CAP_MILLIS * 3 / 4));
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isBetween(1L, BACKOFF_BASE_MILLIS);
    }

    @Test
    void aStalledReadEndsAsSoonAsTheLeaseIsLost() throws Exception {
        FakeShard shard = new FakeShard(RECORDS, 4);
        shard.stallCalls(1);
        StopSignal stop = new StopSignal();
        PollingRetriever retriever = new PollingRetriever(shard, new StreamReference("stream", null),
                new ReadStart("shardId-000000000000", Checkpoint.TRIM_HORIZON, null), PollingSettings.defaults(), stop);
        CompletableFuture<RecordBatch> read = CompletableFuture.supplyAsync(retriever::next);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> shard.calls() == 1);
        stop.leaseLost();
        // The shard thread is free again at once, whatever the hung call does; nothing is returned.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(read::isDone);
        assertThat(read.get()).isNull();
    }

    @Test
    void everyKinesisCallCarriesACallTimeout() {
        FakeShard shard = new FakeShard(RECORDS, 4);
        readToShardEnd(shard);
        assertThat(shard.iteratorRequests()).allSatisfy(r ->
                assertThat(r.overrideConfiguration().flatMap(c -> c.apiCallTimeout())).isPresent());
        assertThat(shard.recordRequests()).allSatisfy(r ->
                assertThat(r.overrideConfiguration().flatMap(c -> c.apiCallTimeout())).isPresent());
    }

    private static List<String> readToShardEnd(FakeShard shard) {
        PollingSettings settings = new PollingSettings(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(2),
                shard.pageSize(), 2L * 1024 * 1024, Duration.ofMillis(BACKOFF_BASE_MILLIS),
                Duration.ofMillis(BACKOFF_CAP_MILLIS));
        PollingRetriever retriever = new PollingRetriever(shard, new StreamReference("stream", null),
                new ReadStart("shardId-000000000000", Checkpoint.TRIM_HORIZON, null), settings, new StopSignal());
        List<String> read = new ArrayList<>();
        for (int batches = 0; batches < 1000; batches++) {
            RecordBatch batch = retriever.next();
            batch.records().forEach(r -> read.add(r.sequenceNumber()));
            if (batch.shardEnded()) {
                return read;
            }
        }
        throw new AssertionError("shard end not reached; read " + read.size() + " records");
    }

    /**
     * One closed shard of numbered records. Iterators name the index of the next record; chosen
     * GetRecords calls (counted from 1) fail with throttling or an expired iterator.
     */
    private static final class FakeShard implements KinesisAsyncClient {
        private final List<Record> records = new ArrayList<>();
        private final int pageSize;
        private final List<Integer> throttled = new ArrayList<>();
        private final List<Integer> expired = new ArrayList<>();
        private final List<Long> callNanos = new ArrayList<>();
        private final List<GetShardIteratorRequest> iteratorRequests = new ArrayList<>();

        FakeShard(int count, int pageSize) {
            this.pageSize = pageSize;
            for (int i = 0; i < count; i++) {
                records.add(Record.builder().sequenceNumber(String.valueOf(49_000_000_000L + i * 10L))
                        .partitionKey("k").data(SdkBytes.fromUtf8String("r" + i)).build());
            }
        }

        void throttleCalls(Integer... calls) {
            throttled.addAll(List.of(calls));
        }

        private final List<Integer> stalled = new ArrayList<>();
        private final List<GetRecordsRequest> recordRequests = new ArrayList<>();

        void stallCalls(Integer... calls) {
            stalled.addAll(List.of(calls));
        }

        synchronized int calls() {
            return callNanos.size();
        }

        List<GetRecordsRequest> recordRequests() {
            return recordRequests;
        }

        void expireCalls(Integer... calls) {
            expired.addAll(List.of(calls));
        }

        int pageSize() {
            return pageSize;
        }

        List<String> sequenceNumbers() {
            return records.stream().map(Record::sequenceNumber).toList();
        }

        int throttledCalls() {
            return (int) throttled.stream().filter(c -> c <= callNanos.size()).count();
        }

        List<Integer> callsAfterThrottle() {
            return throttled.stream().map(c -> c + 1).filter(c -> c <= callNanos.size()).toList();
        }

        long gapBeforeCallMillis(int call) {
            return (callNanos.get(call - 1) - callNanos.get(call - 2)) / 1_000_000L;
        }

        List<GetShardIteratorRequest> iteratorRequests() {
            return iteratorRequests;
        }

        @Override
        public CompletableFuture<GetShardIteratorResponse> getShardIterator(GetShardIteratorRequest request) {
            iteratorRequests.add(request);
            int next = 0;
            if (request.shardIteratorType() == ShardIteratorType.AFTER_SEQUENCE_NUMBER) {
                next = sequenceNumbers().indexOf(request.startingSequenceNumber()) + 1;
            }
            return CompletableFuture.completedFuture(GetShardIteratorResponse.builder()
                    .shardIterator("at-" + next).build());
        }

        @Override
        public synchronized CompletableFuture<GetRecordsResponse> getRecords(GetRecordsRequest request) {
            callNanos.add(System.nanoTime());
            recordRequests.add(request);
            int call = callNanos.size();
            if (stalled.contains(call)) {
                return new CompletableFuture<>();
            }
            if (throttled.contains(call)) {
                return CompletableFuture.failedFuture(ProvisionedThroughputExceededException.builder()
                        .message("Rate exceeded for shard").build());
            }
            if (expired.contains(call)) {
                return CompletableFuture.failedFuture(ExpiredIteratorException.builder()
                        .message("Iterator expired").build());
            }
            int from = Integer.parseInt(request.shardIterator().substring("at-".length()));
            int to = Math.min(records.size(), from + Math.min(pageSize, request.limit()));
            GetRecordsResponse.Builder response = GetRecordsResponse.builder().records(records.subList(from, to))
                    .millisBehindLatest(to < records.size() ? 1000L : 0L);
            if (to < records.size()) {
                response.nextShardIterator("at-" + to);
            } else {
                response.childShards(List.of());
            }
            return CompletableFuture.completedFuture(response.build());
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {
        }
    }
}
