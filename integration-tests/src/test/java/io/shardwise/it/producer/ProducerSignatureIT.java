package io.shardwise.it.producer;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.it.support.StreamReader;
import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.SendResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Every request the producer sends carries a SigV4 signature over the exact bytes on the wire. The
 * producer writes PutRecords bodies itself and swaps them in from an SDK execution interceptor; that is
 * only sound if the SDK signs after the swap, since Kinesis rejects a request whose body does not match
 * its signature. The local engines check no signatures, so here the producer talks to them through
 * {@link SigV4VerifyingRelay}, which signs each request again as received with the SDK's own signer:
 * with aggregation in ordered and unordered mode (CBOR, the SDK's default protocol) and without it over
 * JSON, with many partition keys, a multi-byte UTF-8 key and explicit hash keys. The last test shows
 * the check is not vacuous: a captured request with one body byte changed fails it.
 */
@ShardwiseTest
class ProducerSignatureIT {
    private static final Logger log = LoggerFactory.getLogger(ProducerSignatureIT.class);
    private static final String CBOR = "application/x-amz-cbor-1.1";
    private static final String JSON = "application/x-amz-json-1.1";
    private static final int RECORDS = 3_000;
    // Start, first quarter, middle and end of the hash key space: one in each of four shards.
    private static final List<String> EXPLICIT_HASH_KEYS = List.of("0", "85070591730234615865843651857942052864",
            "170141183460469231731687303715884105728", "340282366920938463463374607431768211455");

    @Test
    @StreamShards(4)
    void orderedAggregatedRequestsAreSignedOverTheBytesSent(LocalEngines engines, TestStream stream, KinesisClient kinesis)
            throws Exception {
        try (SigV4VerifyingRelay relay = relay(engines)) {
            sendAndCheck(relay, producerThrough(relay, engines, stream).ordered(true).build(), kinesis, stream, CBOR);
        }
    }

    @Test
    @StreamShards(4)
    void unorderedAggregatedRequestsAreSignedOverTheBytesSent(LocalEngines engines, TestStream stream,
                                                               KinesisClient kinesis) throws Exception {
        try (SigV4VerifyingRelay relay = relay(engines)) {
            sendAndCheck(relay, producerThrough(relay, engines, stream).ordered(false).build(), kinesis, stream, CBOR);
        }
    }

    @Test
    @StreamShards(4)
    void jsonRequestsAreSignedOverTheBytesSent(LocalEngines engines, TestStream stream, KinesisClient kinesis)
            throws Exception {
        try (SigV4VerifyingRelay relay = relay(engines)) {
            KinesisProducer producer = withCborDisabled(producerThrough(relay, engines, stream).ordered(false)
                    .aggregation(false));
            sendAndCheck(relay, producer, kinesis, stream, JSON);
        }
    }

    @Test
    @StreamShards(1)
    void aBodyChangedAfterSigningFailsTheCheck(LocalEngines engines, TestStream stream) throws Exception {
        SigV4VerifyingRelay.Received signed;
        try (SigV4VerifyingRelay relay = relay(engines);
             KinesisProducer producer = producerThrough(relay, engines, stream).build()) {
            producer.send("key", Payloads.payload("key", 0, 100)).get(30, TimeUnit.SECONDS);
            signed = relay.lastPutRecords();
        }
        String region = engines.region().id();
        var credentials = engines.credentials().resolveCredentials();
        assertThat(signed).as("a verified PutRecords request").isNotNull();
        assertThat(SigV4VerifyingRelay.verify(signed.method(), signed.uri(), signed.headers(), signed.body(), region,
                credentials).valid()).isTrue();

        byte[] altered = signed.body().clone();
        altered[altered.length / 2] ^= 1;
        assertThat(SigV4VerifyingRelay.verify(signed.method(), signed.uri(), signed.headers(), altered, region,
                credentials).valid()).isFalse();
        // Even with a declared body hash that matches the altered body, the signature itself gives it away.
        Map<String, List<String>> rehashed = new TreeMap<>(signed.headers());
        rehashed.computeIfPresent("x-amz-content-sha256", (name, values) -> List.of(SigV4VerifyingRelay.sha256Hex(altered)));
        SigV4VerifyingRelay.Verdict verdict = SigV4VerifyingRelay.verify(signed.method(), signed.uri(), rehashed,
                altered, region, credentials);
        assertThat(verdict.payloadHashProblem()).isNull();
        assertThat(verdict.expectedAuthorization()).isNotEqualTo(verdict.receivedAuthorization());
    }

    private static SigV4VerifyingRelay relay(LocalEngines engines) throws Exception {
        // The engines' static test keys, which the local Kinesis accepts for the test's stream.
        return SigV4VerifyingRelay.start(engines.kinesisEndpoint(), engines.region().id(),
                engines.credentials().resolveCredentials());
    }

    private static KinesisProducer.Builder producerThrough(SigV4VerifyingRelay relay, LocalEngines engines,
                                                           TestStream stream) {
        return KinesisProducer.builder().stream(stream.name()).endpoint(relay.endpoint()).region(engines.region())
                .credentials(engines.credentials());
    }

    /**
     * Builds the producer with the SDK's JSON protocol. The SDK reads {@code aws.cborEnabled} once, when
     * a client is built (in the client's protocol factory), so the JVM-wide property is set only for
     * the duration of build(); the relay's Content-Type count shows it took.
     */
    private static KinesisProducer withCborDisabled(KinesisProducer.Builder builder) {
        String previous = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", "false");
        try {
            return builder.build();
        } finally {
            if (previous == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", previous);
            }
        }
    }

    /**
     * Sends {@link #RECORDS} records (many keys, one of them multi-byte, a few with explicit hash keys) in
     * flushed rounds, closes the producer, and checks that every request verified and every record is in
     * the stream with its key and data.
     */
    private static void sendAndCheck(SigV4VerifyingRelay relay, KinesisProducer producer, KinesisClient kinesis,
                                     TestStream stream, String contentType) throws Exception {
        Map<String, byte[]> sent = new LinkedHashMap<>();
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        try (producer) {
            for (int i = 0; i < RECORDS; i++) {
                String key = i % 50 == 0 ? "ключ-€-😀" : "key-" + (i % 211);
                byte[] data = Payloads.payload(key, i, 20 + (i * 37) % 700);
                sent.put(key + "|" + i, data);
                futures.add(i % 300 == 1 ? producer.send(key, EXPLICIT_HASH_KEYS.get((i / 300) % 4), data)
                        : producer.send(key, data));
                if (i % 250 == 249) {
                    // Flushed in rounds so the records go out in many requests of different sizes, not a few big ones.
                    producer.flush().get(60, TimeUnit.SECONDS);
                }
            }
            producer.flush().get(60, TimeUnit.SECONDS);
        }
        log.info("{}: verified requests {}; observed {}", stream.name(), relay.verifiedByOperation(), relay.observed());

        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(relay.mismatches()).isEmpty();
        assertThat(relay.verifiedByOperation()).hasEntrySatisfying("PutRecords", n -> assertThat(n).isPositive())
                .hasEntrySatisfying("ListShards", n -> assertThat(n).isPositive());
        assertThat(relay.observed()).containsKey("PutRecords Content-Type " + contentType);

        Map<String, Payloads.ReadBack> readBack = Payloads.readBack(kinesis, stream.name());
        assertThat(readBack.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        int i = 0;
        for (String id : sent.keySet()) {
            assertThat(readBack.get(id).sequenceNumber()).isEqualTo(futures.get(i++).join().sequenceNumber());
        }
        Map<String, byte[]> stored = storedData(kinesis, stream.name());
        assertThat(stored).hasSameSizeAs(sent);
        sent.forEach((id, data) -> assertThat(stored.get(id)).as(id).isEqualTo(data));
    }

    /** Each user record's data in the stream, by "key|n" (the head of its payload). */
    private static Map<String, byte[]> storedData(KinesisClient kinesis, String stream) {
        Map<String, byte[]> data = new HashMap<>();
        for (StreamReader.StoredRecord record : new StreamReader(kinesis).readAll(stream)) {
            for (DeaggregatedRecord user : record.deaggregate().records()) {
                if (!user.outsideShardRange()) {
                    String n = new String(user.data(), UTF_8).split("\\|", 3)[1];
                    data.put(user.partitionKey() + "|" + n, user.data());
                }
            }
        }
        return data;
    }
}
