package io.shardwise.benchmarks.producer;

import io.shardwise.testkit.faults.ShardLimitBucket;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A fast stand-in for Kinesis that isolates a producer's own cost: it answers ListShards,
 * DescribeStream(Summary) and PutRecords (in JSON, as the KPL speaks, or CBOR, the Java SDK's default
 * for Kinesis) for one stream of N even shards, over plain
 * HTTP and over TLS (the KPL's daemon only speaks TLS), and stores nothing. Each PutRecords entry is
 * answered with success and the shard that owns its hash key, as Kinesis would.
 *
 * <p>In shard-limit mode ({@link #withShardLimits}) each shard admits entries through a
 * {@link ShardLimitBucket} (1 MiB/s of data plus partition key and 1,000 records/s, at most one second of
 * burst) and answers an entry over the limit with ProvisionedThroughputExceededException, per entry,
 * as Kinesis does; {@link #stats} counts what was stored and throttled, per second and shard.
 */
final class FakeKinesisEndpoint implements AutoCloseable {
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final CBORFactory CBOR_FACTORY = new CBORFactory();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR = new ObjectMapper(CBOR_FACTORY);

    private final int shards;
    private final BigInteger[] starts;
    private final HttpServer plain;
    private final HttpsServer tls;
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final AtomicLong sequence = new AtomicLong(1_000_000);
    final AtomicLong entries = new AtomicLong();
    private ShardLimitBucket[] buckets;
    private ShardLimitStats stats;

    /** An endpoint whose shards enforce Kinesis's write limits. */
    static FakeKinesisEndpoint withShardLimits(int shards) throws Exception {
        FakeKinesisEndpoint endpoint = new FakeKinesisEndpoint(shards);
        long now = System.nanoTime();
        endpoint.buckets = new ShardLimitBucket[shards];
        for (int i = 0; i < shards; i++) {
            endpoint.buckets[i] = new ShardLimitBucket(now);
        }
        endpoint.stats = new ShardLimitStats(shards, now);
        return endpoint;
    }

    /** What the shards stored and throttled (shard-limit mode only). */
    ShardLimitStats stats() {
        return stats;
    }

    FakeKinesisEndpoint(int shards) throws Exception {
        // The JDK's HTTP server leaves Nagle's algorithm on: its answer (headers, then body) then waits
        // for the client's delayed ACK, about 40 ms per request, a latency of the fake, not of a client.
        // Read once, when the first server of this JVM is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.shards = shards;
        this.starts = new BigInteger[shards];
        BigInteger step = MAX.add(BigInteger.ONE).divide(BigInteger.valueOf(shards));
        for (int i = 0; i < shards; i++) {
            starts[i] = step.multiply(BigInteger.valueOf(i));
        }
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        plain = HttpServer.create(any, 256);
        plain.createContext("/", this::handle);
        plain.setExecutor(workers);
        plain.start();
        tls = HttpsServer.create(any, 256);
        tls.setHttpsConfigurator(new HttpsConfigurator(selfSignedContext()));
        tls.createContext("/", this::handle);
        tls.setExecutor(workers);
        tls.start();
    }

    int plainPort() {
        return plain.getAddress().getPort();
    }

    int tlsPort() {
        return tls.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
        boolean cbor = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).contains("cbor");
        if (cbor && operation.equals("PutRecords")) {
            byte[] out = putRecordsCbor(body);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-cbor-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "fake");
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(out);
            }
            return;
        }
        String answer = switch (operation) {
            case "ListShards" -> "{\"Shards\":" + shardsJson() + "}";
            case "DescribeStreamSummary" -> "{\"StreamDescriptionSummary\":{\"StreamName\":\"bench\",\"StreamARN\":"
                    + "\"arn:aws:kinesis:us-east-1:000000000000:stream/bench\",\"StreamStatus\":\"ACTIVE\","
                    + "\"RetentionPeriodHours\":24,\"StreamCreationTimestamp\":1700000000,\"EnhancedMonitoring\":[],"
                    + "\"EncryptionType\":\"NONE\",\"OpenShardCount\":" + shards + ",\"ConsumerCount\":0,"
                    + "\"StreamModeDetails\":{\"StreamMode\":\"PROVISIONED\"}}}";
            case "DescribeStream" -> "{\"StreamDescription\":{\"StreamName\":\"bench\",\"StreamARN\":"
                    + "\"arn:aws:kinesis:us-east-1:000000000000:stream/bench\",\"StreamStatus\":\"ACTIVE\","
                    + "\"RetentionPeriodHours\":24,\"StreamCreationTimestamp\":1700000000,\"EnhancedMonitoring\":[],"
                    + "\"EncryptionType\":\"NONE\",\"HasMoreShards\":false,\"Shards\":" + shardsJson() + "}}";
            case "PutRecords" -> putRecords(body);
            default -> null;
        };
        byte[] out;
        if (answer == null) {
            out = ("{\"__type\":\"InvalidArgumentException\",\"message\":\"fake endpoint does not answer "
                    + operation + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(400, out.length);
        } else if (cbor) {
            out = CBOR.writeValueAsBytes(JSON.readTree(answer));
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-cbor-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "fake");
            exchange.sendResponseHeaders(200, out.length);
        } else {
            out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "fake");
            exchange.sendResponseHeaders(200, out.length);
        }
        try (OutputStream stream = exchange.getResponseBody()) {
            stream.write(out);
        }
    }

    private String shardsJson() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < shards; i++) {
            BigInteger end = i == shards - 1 ? MAX : starts[i + 1].subtract(BigInteger.ONE);
            json.append(i == 0 ? "" : ",").append("{\"ShardId\":\"").append(shardId(i))
                    .append("\",\"HashKeyRange\":{\"StartingHashKey\":\"").append(starts[i])
                    .append("\",\"EndingHashKey\":\"").append(end)
                    .append("\"},\"SequenceNumberRange\":{\"StartingSequenceNumber\":\"1\"}}");
        }
        return json.append("]").toString();
    }

    private static String shardId(int i) {
        return String.format("shardId-%012d", i);
    }

    /**
     * Answers every entry with success. Scans the JSON body without building a tree: entries are the
     * objects at depth 2; of each, only PartitionKey and ExplicitHashKey are read, to name its shard.
     */
    private String putRecords(byte[] body) {
        StringBuilder answer = new StringBuilder(64 + 80 * 16).append("{\"Records\":[");
        int failed = 0;
        int depth = 0;
        String partitionKey = null;
        String explicitHashKey = null;
        int dataLength = 0;
        String lastKey = null;
        boolean expectValue = false;
        int count = 0;
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b == '"') {
                int end = i + 1;
                while (body[end] != '"') {
                    end += body[end] == '\\' ? 2 : 1;
                }
                if (depth == 2) {
                    if (expectValue) {
                        if ("PartitionKey".equals(lastKey)) {
                            partitionKey = new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
                        } else if ("ExplicitHashKey".equals(lastKey)) {
                            explicitHashKey = new String(body, i + 1, end - i - 1, StandardCharsets.US_ASCII);
                        } else if ("Data".equals(lastKey)) {
                            dataLength = base64Length(body, i + 1, end);
                        }
                        expectValue = false;
                    } else if (end - i - 1 <= 16) {
                        lastKey = new String(body, i + 1, end - i - 1, StandardCharsets.US_ASCII);
                    } else {
                        lastKey = null;
                    }
                }
                i = end;
            } else if (b == ':') {
                expectValue = true;
            } else if (b == ',') {
                expectValue = false;
            } else if (b == '{' || b == '[') {
                // "Records": [{"Data": ...: the colon before the array is not the first entry's field.
                expectValue = false;
                depth += b == '{' ? 1 : 0;
            } else if (b == '}') {
                if (depth == 2) {
                    int shard = shardOf(partitionKey, explicitHashKey);
                    answer.append(count++ == 0 ? "" : ",");
                    if (admit(shard, partitionKey, dataLength)) {
                        answer.append("{\"SequenceNumber\":\"").append(sequence.incrementAndGet())
                                .append("\",\"ShardId\":\"").append(shardId(shard)).append("\"}");
                    } else {
                        failed++;
                        answer.append("{\"ErrorCode\":\"ProvisionedThroughputExceededException\",\"ErrorMessage\":\"")
                                .append(throttleMessage(shard)).append("\"}");
                    }
                    partitionKey = null;
                    explicitHashKey = null;
                    dataLength = 0;
                }
                depth--;
            }
        }
        entries.addAndGet(count);
        return answer.append("],\"FailedRecordCount\":").append(failed).append("}").toString();
    }

    /** Decoded length of the base64 text in {@code body[from, to)}. */
    private static int base64Length(byte[] body, int from, int to) {
        int length = to - from;
        int padding = 0;
        for (int i = to - 1; i >= from && body[i] == '='; i--) {
            padding++;
        }
        return length / 4 * 3 - padding;
    }

    /** In shard-limit mode: charges the entry to its shard's bucket, or refuses it. Always admits otherwise. */
    private boolean admit(int shard, String partitionKey, int dataLength) {
        if (buckets == null) {
            return true;
        }
        long now = System.nanoTime();
        int size = dataLength + (partitionKey == null ? 0 : partitionKey.getBytes(StandardCharsets.UTF_8).length);
        boolean admitted = buckets[shard].tryTake(size, now);
        stats.count(shard, now, size, admitted);
        return admitted;
    }

    private static String throttleMessage(int shard) {
        return "Rate exceeded for shard " + shardId(shard) + " in stream bench under account 000000000000.";
    }

    /** As {@link #putRecords} for a CBOR body: a streaming parse that skips the data blobs. */
    private byte[] putRecordsCbor(byte[] body) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256);
        try (JsonParser parser = CBOR_FACTORY.createParser(body);
             JsonGenerator out = CBOR_FACTORY.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeArrayFieldStart("Records");
            int depth = 0;
            String partitionKey = null;
            String explicitHashKey = null;
            int dataLength = 0;
            int failed = 0;
            long count = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.START_OBJECT) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT) {
                    if (depth == 2) {
                        int shard = shardOf(partitionKey, explicitHashKey);
                        out.writeStartObject();
                        if (admit(shard, partitionKey, dataLength)) {
                            out.writeStringField("SequenceNumber", String.valueOf(sequence.incrementAndGet()));
                            out.writeStringField("ShardId", shardId(shard));
                        } else {
                            failed++;
                            out.writeStringField("ErrorCode", "ProvisionedThroughputExceededException");
                            out.writeStringField("ErrorMessage", throttleMessage(shard));
                        }
                        out.writeEndObject();
                        count++;
                        partitionKey = null;
                        explicitHashKey = null;
                        dataLength = 0;
                    }
                    depth--;
                } else if (token == JsonToken.FIELD_NAME && depth == 2) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if ("PartitionKey".equals(field)) {
                        partitionKey = parser.getText();
                    } else if ("ExplicitHashKey".equals(field)) {
                        explicitHashKey = parser.getText();
                    } else if ("Data".equals(field) && buckets != null) {
                        dataLength = parser.getBinaryValue().length;
                    } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                        parser.skipChildren();
                    }
                }
            }
            out.writeEndArray();
            out.writeNumberField("FailedRecordCount", failed);
            out.writeEndObject();
            entries.addAndGet(count);
        }
        return bytes.toByteArray();
    }

    private int shardOf(String partitionKey, String explicitHashKey) {
        BigInteger hash;
        if (explicitHashKey != null) {
            hash = new BigInteger(explicitHashKey);
        } else {
            try {
                hash = new BigInteger(1, MessageDigest.getInstance("MD5").digest(
                        (partitionKey == null ? "" : partitionKey).getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        for (int i = shards - 1; i > 0; i--) {
            if (hash.compareTo(starts[i]) >= 0) {
                return i;
            }
        }
        return 0;
    }

    /** A TLS context with a fresh self-signed certificate for 127.0.0.1, made with the JDK's keytool. */
    private static SSLContext selfSignedContext() throws Exception {
        Path dir = Files.createTempDirectory("fake-kinesis-tls");
        Path store = dir.resolve("keystore.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "fake", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed to make the fake endpoint's certificate");
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        Files.delete(store);
        Files.delete(dir);
        return context;
    }

    @Override
    public void close() {
        plain.stop(0);
        tls.stop(0);
        workers.shutdownNow();
    }
}
