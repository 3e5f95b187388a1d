package io.shardwise.testkit.faults;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

/** Every fault of the proxy, seen through real SDK clients (no retries) against the local engine. */
@ShardwiseTest
class FaultProxyIT {

    private static final String CBOR = "application/x-amz-cbor-1.1";
    private static final String JSON = "application/x-amz-json-1.1";

    @Test
    void passesCallsThroughUntouchedWhenNoRuleApplies(TestStream stream, LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).start();
             KinesisClient client = syncClient(engines, proxy.endpoint())) {
            PutRecordsResponse put = client.putRecords(b -> b.streamName(stream.name()).records(entries("pass", 5)));

            assertThat(put.failedRecordCount()).isZero();
            assertThat(client.listShards(b -> b.streamName(stream.name())).shards()).hasSize(1);
            assertThat(readAll(client, stream)).containsExactly("pass-0", "pass-1", "pass-2", "pass-3", "pass-4");
            FaultCounts counts = proxy.counts();
            assertThat(counts.requests("PutRecords")).isEqualTo(1);
            assertThat(counts.requests("ListShards")).isEqualTo(1);
            assertThat(counts.requests("GetShardIterator")).isEqualTo(1);
            assertThat(counts.requests("GetRecords")).isEqualTo(1);
            assertThat(counts.injected()).isEmpty();
            assertThat(counts.contentTypes()).containsOnlyKeys(CBOR);
        }
    }

    @Test
    void throttlesWholeCallsAsProvisionedThroughputExceeded(TestStream stream, LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).throttleCalls("PutRecord", 1.0).start();
             KinesisClient client = syncClient(engines, proxy.endpoint())) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> client.putRecord(b -> b.streamName(stream.name()).partitionKey("k")
                        .data(SdkBytes.fromUtf8String("x"))))
                        .isInstanceOf(ProvisionedThroughputExceededException.class)
                        .satisfies(e -> assertThat(((KinesisException) e).statusCode()).isEqualTo(400));
            }
            // Other operations still pass, and nothing throttled reached the engine.
            assertThat(readAll(client, stream)).isEmpty();
            assertThat(proxy.counts().injected(FaultKind.THROTTLED_CALL, "PutRecord")).isEqualTo(3);
            assertThat(proxy.counts().injected(FaultKind.THROTTLED_CALL)).isEqualTo(3);
            assertThat(proxy.counts().requests("PutRecord")).isEqualTo(3);
        }
    }

    @Test
    void answers500And503AsServiceErrorsWithThatStatus(TestStream stream, LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint())
                .serverErrors("DescribeStreamSummary", 1.0, 0.0).start();
             KinesisClient client = syncClient(engines, proxy.endpoint())) {
            assertThatThrownBy(() -> client.describeStreamSummary(b -> b.streamName(stream.name())))
                    .isExactlyInstanceOf(KinesisException.class)
                    .satisfies(e -> assertThat(((KinesisException) e).statusCode()).isEqualTo(500));

            proxy.setRules(FaultRules.builder().serverErrors("DescribeStreamSummary", 0.0, 1.0).build());
            assertThatThrownBy(() -> client.describeStreamSummary(b -> b.streamName(stream.name())))
                    .isExactlyInstanceOf(KinesisException.class)
                    .satisfies(e -> assertThat(((KinesisException) e).statusCode()).isEqualTo(503));

            proxy.setRules(FaultRules.none());
            assertThat(client.describeStreamSummary(b -> b.streamName(stream.name()))
                    .streamDescriptionSummary().streamName()).isEqualTo(stream.name());
            FaultCounts counts = proxy.counts();
            assertThat(counts.injected(FaultKind.SERVER_ERROR_500, "DescribeStreamSummary")).isEqualTo(1);
            assertThat(counts.injected(FaultKind.SERVER_ERROR_503, "DescribeStreamSummary")).isEqualTo(1);
            assertThat(counts.requests("DescribeStreamSummary")).isEqualTo(3);
        }
    }

    @Test
    void dropsConnectionsWithoutAnAnswer(TestStream stream, LocalEngines engines) throws Exception {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint())
                .dropConnections("ListShards", 1.0).start();
             KinesisClient sync = syncClient(engines, proxy.endpoint());
             KinesisAsyncClient async = asyncClient(engines, proxy.endpoint(), Protocol.HTTP1_1)) {
            assertThatThrownBy(() -> sync.listShards(b -> b.streamName(stream.name())))
                    .isInstanceOf(SdkClientException.class);
            assertThatThrownBy(() -> async.listShards(b -> b.streamName(stream.name())).join())
                    .hasCauseInstanceOf(SdkClientException.class);
            // The next call on a fresh connection works.
            assertThat(sync.describeStreamSummary(b -> b.streamName(stream.name()))).isNotNull();
            assertThat(proxy.counts().injected(FaultKind.DROPPED_CONNECTION, "ListShards")).isEqualTo(2);
        }
    }

    @Test
    void addsLatencyAndStillAnswers(TestStream stream, LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint())
                .latency(FaultRules.ANY_OPERATION, Duration.ofMillis(200)).start();
             KinesisClient client = syncClient(engines, proxy.endpoint())) {
            assertThat(client.listShards(b -> b.streamName(stream.name())).shards()).hasSize(1);
            assertThat(client.describeStreamSummary(b -> b.streamName(stream.name()))).isNotNull();
            assertThat(proxy.counts().injected(FaultKind.LATENCY)).isEqualTo(2);
            assertThat(proxy.counts().injected(FaultKind.LATENCY, "ListShards")).isEqualTo(1);
        }
    }

    @Test
    void throttlesChosenEntriesAndStoresTheOthersCbor(TestStream stream, LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).seed(7).throttleEntries(0.4).start();
             KinesisClient client = syncClient(engines, proxy.endpoint())) {
            assertEntryThrottling(client, proxy, stream, engines);
            assertThat(proxy.counts().contentTypes()).containsOnlyKeys(CBOR);
        }
    }

    @Test
    void throttlesChosenEntriesAndStoresTheOthersJson(TestStream stream, LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).seed(7).throttleEntries(0.4).start();
             KinesisClient client = jsonSyncClient(engines, proxy.endpoint())) {
            assertEntryThrottling(client, proxy, stream, engines);
            assertThat(proxy.counts().contentTypes()).containsOnlyKeys(JSON);
        }
    }

    @Test
    void aJsonClientSeesTheSameCallFaults(TestStream stream, LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).throttleCalls("PutRecord", 1.0)
                .serverErrors("DescribeStreamSummary", 0.0, 1.0).start();
             KinesisClient client = jsonSyncClient(engines, proxy.endpoint())) {
            assertThatThrownBy(() -> client.putRecord(b -> b.streamName(stream.name()).partitionKey("k")
                    .data(SdkBytes.fromUtf8String("x"))))
                    .isInstanceOf(ProvisionedThroughputExceededException.class);
            assertThatThrownBy(() -> client.describeStreamSummary(b -> b.streamName(stream.name())))
                    .isExactlyInstanceOf(KinesisException.class)
                    .satisfies(e -> assertThat(((KinesisException) e).statusCode()).isEqualTo(503));
            assertThat(proxy.counts().contentTypes()).containsOnlyKeys(JSON);
            assertThat(proxy.counts().injected(FaultKind.THROTTLED_CALL, "PutRecord")).isEqualTo(1);
            assertThat(proxy.counts().injected(FaultKind.SERVER_ERROR_503, "DescribeStreamSummary")).isEqualTo(1);
        }
    }

    @Test
    void servesConcurrentCallsOnManyConnections(TestStream stream, LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).seed(3).throttleEntries(0.3).start();
             KinesisAsyncClient client = asyncClient(engines, proxy.endpoint(), Protocol.HTTP1_1)) {
            List<CompletableFuture<PutRecordsResponse>> calls = IntStream.range(0, 16)
                    .mapToObj(call -> client.putRecords(b -> b.streamName(stream.name())
                            .records(entries("c" + call, 5))))
                    .toList();
            int failed = calls.stream().mapToInt(call -> call.join().failedRecordCount()).sum();

            assertThat(proxy.counts().requests("PutRecords")).isEqualTo(16);
            assertThat(proxy.counts().injected(FaultKind.THROTTLED_ENTRY)).isEqualTo(failed).isPositive();
            assertThat(readAll(engines.kinesisClient(), stream)).hasSize(16 * 5 - failed);
        }
    }

    @Test
    void throttlesEveryEntryOfAMatchingPartitionKeyAsync(TestStream stream, LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint())
                .throttlePartitionKeys(key -> key.endsWith("-1") || key.endsWith("-3")).start();
             KinesisAsyncClient client = asyncClient(engines, proxy.endpoint(), Protocol.HTTP1_1)) {
            PutRecordsResponse put = client.putRecords(b -> b.streamName(stream.name())
                    .records(entries("hot", 5))).join();

            assertThat(put.failedRecordCount()).isEqualTo(2);
            assertThat(put.records()).extracting(PutRecordsResultEntry::errorCode)
                    .containsExactly(null, "ProvisionedThroughputExceededException", null,
                            "ProvisionedThroughputExceededException", null);
            assertThat(readAll(engines.kinesisClient(), stream)).containsExactly("hot-0", "hot-2", "hot-4");
            assertThat(proxy.counts().injected(FaultKind.THROTTLED_ENTRY, "PutRecords")).isEqualTo(2);
        }
    }

    @Test
    void aPutRecordsCallWhoseEntriesAllFailNeverReachesTheEngine(TestStream stream, LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).throttleEntries(1.0).start();
             KinesisClient client = syncClient(engines, proxy.endpoint())) {
            PutRecordsResponse put = client.putRecords(b -> b.streamName(stream.name()).records(entries("all", 4)));

            assertThat(put.failedRecordCount()).isEqualTo(4);
            assertThat(put.records()).allSatisfy(e -> {
                assertThat(e.errorCode()).isEqualTo("ProvisionedThroughputExceededException");
                assertThat(e.errorMessage()).contains(stream.name());
            });
            assertThat(readAll(engines.kinesisClient(), stream)).isEmpty();
            assertThat(proxy.counts().injected(FaultKind.THROTTLED_ENTRY)).isEqualTo(4);
        }
    }

    @Test
    void theSameSeedInjectsTheSameFaults(TestStream stream, LocalEngines engines) {
        List<List<Boolean>> runs = new ArrayList<>();
        for (long seed : new long[] {11, 11, 12}) {
            try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).seed(seed)
                    .throttleEntries(0.5).throttleCalls("DescribeStreamSummary", 0.5).start();
                 KinesisClient client = syncClient(engines, proxy.endpoint())) {
                List<Boolean> failures = new ArrayList<>();
                for (int call = 0; call < 8; call++) {
                    try {
                        client.describeStreamSummary(b -> b.streamName(stream.name()));
                        failures.add(false);
                    } catch (ProvisionedThroughputExceededException e) {
                        failures.add(true);
                    }
                }
                client.putRecords(b -> b.streamName(stream.name()).records(entries("seed", 16))).records()
                        .forEach(e -> failures.add(e.errorCode() != null));
                runs.add(failures);
            }
        }
        assertThat(runs.get(0)).isEqualTo(runs.get(1)).contains(true, false);
        assertThat(runs.get(2)).isNotEqualTo(runs.get(0));
    }

    @Test
    void aHoldingStallKeepsCallsUntilItEnds(TestStream stream, LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).stalled(true).start();
             KinesisAsyncClient client = asyncClient(engines, proxy.endpoint(), Protocol.HTTP1_1)) {
            CompletableFuture<?> put = client.putRecord(b -> b.streamName(stream.name()).partitionKey("k")
                    .data(SdkBytes.fromUtf8String("held")));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> proxy.counts().injected(FaultKind.STALLED, "PutRecord") == 1);
            assertThat(put).isNotDone();
            proxy.setStalled(false);
            put.join();
            assertThat(readAll(engines.kinesisClient(), stream)).containsExactly("held");
        }
    }

    @Test
    void aThrottlingStallThrottlesEveryCallUntilItEnds(TestStream stream, LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint())
                .stallMode(FaultProxy.StallMode.THROTTLE).stalled(true).start();
             KinesisClient client = syncClient(engines, proxy.endpoint())) {
            assertThatThrownBy(() -> client.putRecords(b -> b.streamName(stream.name()).records(entries("s", 2))))
                    .isInstanceOf(ProvisionedThroughputExceededException.class);
            proxy.setStalled(false);
            assertThat(client.putRecords(b -> b.streamName(stream.name()).records(entries("s", 2)))
                    .failedRecordCount()).isZero();
            assertThat(proxy.counts().injected(FaultKind.STALLED)).isEqualTo(1);
        }
    }

    @Test
    void relaysSubscribeToShardOverHttp2CleartextAndHttp11(TestStream stream, LocalEngines engines)
            throws Exception {
        engines.kinesisClient().putRecords(b -> b.streamName(stream.name()).records(entries("fan", 3)));
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).start();
             KinesisAsyncClient http2 = asyncClient(engines, proxy.endpoint(), Protocol.HTTP2);
             KinesisAsyncClient http11 = asyncClient(engines, proxy.endpoint(), Protocol.HTTP1_1)) {
            // One consumer per subscription: the engine keeps a cancelled subscription alive for a while.
            String overHttp2 = registerActiveConsumer(http11, stream.arn(), "over-http2");
            String overHttp11 = registerActiveConsumer(http11, stream.arn(), "over-http11");

            assertThat(readThreeRecords(http2, overHttp2)).containsExactly("fan-0", "fan-1", "fan-2");
            assertThat(proxy.counts().http2Connections()).isGreaterThanOrEqualTo(1);
            assertThat(readThreeRecords(http11, overHttp11)).containsExactly("fan-0", "fan-1", "fan-2");
            assertThat(proxy.counts().requests("SubscribeToShard")).isEqualTo(1);
        }
    }

    private static void assertEntryThrottling(KinesisClient client, FaultProxy proxy, TestStream stream,
                                              LocalEngines engines) {
        PutRecordsResponse put = client.putRecords(b -> b.streamName(stream.name()).records(entries("e", 20)));

        List<String> stored = new ArrayList<>();
        for (int i = 0; i < put.records().size(); i++) {
            PutRecordsResultEntry entry = put.records().get(i);
            if (entry.errorCode() == null) {
                assertThat(entry.sequenceNumber()).isNotBlank();
                assertThat(entry.shardId()).isEqualTo("shardId-000000000000");
                stored.add("e-" + i);
            } else {
                assertThat(entry.errorCode()).isEqualTo("ProvisionedThroughputExceededException");
                assertThat(entry.errorMessage()).isNotBlank();
                assertThat(entry.sequenceNumber()).isNull();
            }
        }
        assertThat(put.records()).hasSize(20);
        assertThat(put.failedRecordCount()).isEqualTo(20 - stored.size()).isBetween(1, 19);
        assertThat(proxy.counts().injected(FaultKind.THROTTLED_ENTRY, "PutRecords"))
                .isEqualTo((long) put.failedRecordCount());
        assertThat(readAll(engines.kinesisClient(), stream)).containsExactlyElementsOf(stored);
    }

    static List<PutRecordsRequestEntry> entries(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> PutRecordsRequestEntry.builder()
                .partitionKey(prefix + "-" + i).data(SdkBytes.fromString(prefix + "-" + i, StandardCharsets.UTF_8))
                .build()).toList();
    }

    /** Every record's data, as text, from the start of the stream's single shard. */
    static List<String> readAll(KinesisClient client, TestStream stream) {
        String iterator = client.getShardIterator(b -> b.streamName(stream.name()).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return client.getRecords(b -> b.shardIterator(iterator)).records().stream()
                .map(Record::data).map(SdkBytes::asUtf8String).toList();
    }

    /** A synchronous client that never retries, so every call the test makes is one request. */
    static KinesisClient syncClient(LocalEngines engines, URI endpoint) {
        return KinesisClient.builder().endpointOverride(endpoint).region(engines.region())
                .credentialsProvider(engines.credentials()).httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /**
     * A client speaking JSON instead of CBOR. The SDK reads the {@code aws.cborEnabled} setting
     * when it builds a client, so the property is set just for the build.
     */
    static KinesisClient jsonSyncClient(LocalEngines engines, URI endpoint) {
        String previous = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", "false");
        try {
            return syncClient(engines, endpoint);
        } finally {
            if (previous == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", previous);
            }
        }
    }

    static KinesisAsyncClient asyncClient(LocalEngines engines, URI endpoint, Protocol protocol) {
        return KinesisAsyncClient.builder().endpointOverride(endpoint).region(engines.region())
                .credentialsProvider(engines.credentials())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(protocol))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static String registerActiveConsumer(KinesisAsyncClient client, String streamArn, String name)
            throws Exception {
        String consumerArn = client.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName(name))
                .get(30, TimeUnit.SECONDS).consumer().consumerARN();
        await().atMost(Duration.ofSeconds(30)).until(() -> client
                .describeStreamConsumer(b -> b.consumerARN(consumerArn)).get(30, TimeUnit.SECONDS)
                .consumerDescription().consumerStatus() == ConsumerStatus.ACTIVE);
        return consumerArn;
    }

    /** Subscribes to the single shard from its start and returns the first three records' data. */
    private static List<String> readThreeRecords(KinesisAsyncClient client, String consumerArn) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> three = new CompletableFuture<>();
        SubscribeToShardResponseHandler handler = SubscribeToShardResponseHandler.builder()
                .onError(three::completeExceptionally)
                .subscriber(SubscribeToShardResponseHandler.Visitor.builder()
                        .onSubscribeToShardEvent(event -> {
                            event.records().forEach(r -> received.add(r.data().asUtf8String()));
                            if (received.size() >= 3) {
                                three.complete(null);
                            }
                        }).build())
                .build();
        CompletableFuture<Void> subscription = client.subscribeToShard(b -> b.consumerARN(consumerArn)
                .shardId("shardId-000000000000")
                .startingPosition(p -> p.type(ShardIteratorType.TRIM_HORIZON)), handler);
        try {
            three.get(60, TimeUnit.SECONDS);
        } finally {
            subscription.cancel(true);
        }
        return received;
    }
}
