package io.shardwise.testkit.engines;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A local Kinesis and a local DynamoDB for tests, with ready-made SDK v2 clients.
 *
 * <p>Where the engines come from is chosen once, in this order: the endpoints in
 * {@code SHARDWISE_KINESIS_ENDPOINT} / {@code SHARDWISE_DYNAMODB_ENDPOINT} when set (a running
 * LocalStack, or anything compatible); else a LocalStack container through Testcontainers when a
 * Docker engine answers (unless {@code SHARDWISE_LOCALSTACK=false}); else the embedded engines:
 * kinesis-mock, installed from npm into {@code ~/.cache/shardwise} (or
 * {@code $SHARDWISE_CACHE_DIR}) and run as a child process that never outlives this JVM, and
 * DynamoDB Local, in memory, served on a free port of this JVM.
 *
 * <p>{@link #shared()} gives one instance per JVM, stopped at JVM exit; {@link #start()} gives a
 * private instance that {@link #close()} stops. Closing stops the engines and every client.
 */
public final class LocalEngines implements AutoCloseable {

    static final Region REGION = Region.US_EAST_1;

    private static final Logger LOG = LoggerFactory.getLogger(LocalEngines.class);
    private static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("shardwisetest", "shardwisetest"));
    private static final Duration STREAM_ACTIVE_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern NAME_UNSAFE = Pattern.compile("[^a-zA-Z0-9_.-]");
    private static final int NAME_PREFIX_MAX = 80;
    private static final AtomicLong NAME_COUNTER = new AtomicLong();

    private static LocalEngines shared;
    /** Why the shared engines failed to start: later callers fail at once instead of retrying a slow start. */
    private static LocalEngineException sharedFailure;

    private final URI kinesisEndpoint;
    private final URI kinesisTlsEndpoint;
    private final URI dynamoDbEndpoint;
    private final KinesisMockProcess kinesisMock;
    /** Engines and clients, stopped in reverse order of creation. */
    private final List<AutoCloseable> resources;
    private final boolean sharedInstance;
    private final KinesisClient kinesisClient;
    private final KinesisAsyncClient kinesisAsyncClient;
    private final KinesisAsyncClient kinesisHttp2AsyncClient;
    private final DynamoDbClient dynamoDbClient;
    private final DynamoDbAsyncClient dynamoDbAsyncClient;
    private boolean closed;

    private LocalEngines(RunningEngines engines, boolean sharedInstance) {
        this.kinesisEndpoint = engines.kinesisEndpoint;
        this.kinesisTlsEndpoint = engines.kinesisTlsEndpoint;
        this.dynamoDbEndpoint = engines.dynamoDbEndpoint;
        this.kinesisMock = engines.kinesisMock;
        this.resources = new ArrayList<>(engines.resources);
        this.sharedInstance = sharedInstance;
        this.kinesisClient = track(KinesisClient.builder()
                .endpointOverride(kinesisEndpoint).region(REGION).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .build());
        this.kinesisAsyncClient = track(newKinesisAsyncClient(kinesisEndpoint, Protocol.HTTP1_1));
        this.kinesisHttp2AsyncClient = track(newKinesisAsyncClient(kinesisEndpoint, Protocol.HTTP2));
        this.dynamoDbClient = track(newDynamoDbClient(dynamoDbEndpoint));
        this.dynamoDbAsyncClient = track(DynamoDbAsyncClient.builder()
                .endpointOverride(dynamoDbEndpoint).region(REGION).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1).maxConcurrency(64))
                .build());
    }

    /** The engines shared by this JVM: started on first use, stopped at JVM exit. */
    public static synchronized LocalEngines shared() {
        if (sharedFailure != null) {
            throw new LocalEngineException("the shared local engines failed to start earlier in this JVM: "
                    + sharedFailure.getMessage(), sharedFailure);
        }
        if (shared == null) {
            try {
                LocalEngines engines = new LocalEngines(RunningEngines.start(System.getenv()), true);
                Runtime.getRuntime().addShutdownHook(new Thread(engines::stop, "shardwise-engines-stop"));
                shared = engines;
            } catch (LocalEngineException e) {
                sharedFailure = e;
                throw e;
            }
        }
        return shared;
    }

    /** A private instance, chosen like {@link #shared()}; {@link #close()} stops it. */
    public static LocalEngines start() {
        return start(System.getenv());
    }

    /** A private instance chosen from {@code env} instead of the process environment. */
    static LocalEngines start(Map<String, String> env) {
        return new LocalEngines(RunningEngines.start(env), false);
    }

    /** A private instance of the embedded engines whatever the environment says; for the kit's own tests. */
    static LocalEngines startEmbedded(Map<String, String> env) {
        return new LocalEngines(RunningEngines.start(env, new EnginePlan(EnginePlan.Source.EMBEDDED,
                EnginePlan.Source.EMBEDDED)), false);
    }

    /** Kinesis over plain HTTP, e.g. {@code http://127.0.0.1:PORT}. */
    public URI kinesisEndpoint() {
        return kinesisEndpoint;
    }

    /** Kinesis over TLS with a self-signed certificate (the KPL needs TLS); for an external endpoint, that endpoint. */
    public URI kinesisTlsEndpoint() {
        return kinesisTlsEndpoint;
    }

    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    /** Always us-east-1. */
    public Region region() {
        return REGION;
    }

    /** Static test credentials. DynamoDB Local accepts any access key made only of letters and digits. */
    public AwsCredentialsProvider credentials() {
        return CREDENTIALS;
    }

    /** Synchronous client (Apache HTTP client), default CBOR protocol. */
    public KinesisClient kinesisClient() {
        return kinesisClient;
    }

    /** Asynchronous client over Netty with HTTP/1.1. */
    public KinesisAsyncClient kinesisAsyncClient() {
        return kinesisAsyncClient;
    }

    /** Asynchronous client over Netty with HTTP/2 cleartext (prior knowledge), for SubscribeToShard. */
    public KinesisAsyncClient kinesisHttp2AsyncClient() {
        return kinesisHttp2AsyncClient;
    }

    /**
     * A new asynchronous client (Netty, HTTP/1.1) for another endpoint, for example a fault proxy
     * in front of the local Kinesis. It is closed with these engines.
     */
    public synchronized KinesisAsyncClient kinesisAsyncClient(URI endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        requireOpen();
        return track(newKinesisAsyncClient(endpoint, Protocol.HTTP1_1));
    }

    public DynamoDbClient dynamoDbClient() {
        return dynamoDbClient;
    }

    /**
     * A new synchronous DynamoDB client (Apache HTTP, the SDK's default retries) for another
     * endpoint, for example a fault proxy in front of the local DynamoDB. It is closed with these engines.
     */
    public synchronized DynamoDbClient dynamoDbClient(URI endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        requireOpen();
        return track(newDynamoDbClient(endpoint));
    }

    private static DynamoDbClient newDynamoDbClient(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint).region(REGION).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .build();
    }

    public DynamoDbAsyncClient dynamoDbAsyncClient() {
        return dynamoDbAsyncClient;
    }

    /**
     * Creates a provisioned stream and waits until it is ACTIVE.
     *
     * @return the stream's ARN
     */
    public String createStream(String name, int shards) {
        Objects.requireNonNull(name, "name");
        if (shards < 1) {
            throw new IllegalArgumentException("a stream needs at least 1 shard, was " + shards + " for " + name);
        }
        kinesisClient.createStream(b -> b.streamName(name).shardCount(shards));
        long deadline = System.nanoTime() + STREAM_ACTIVE_TIMEOUT.toNanos();
        while (true) {
            StreamDescriptionSummary summary = kinesisClient
                    .describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary();
            if (summary.streamStatus() == StreamStatus.ACTIVE) {
                return summary.streamARN();
            }
            if (System.nanoTime() > deadline) {
                throw new LocalEngineException("stream " + name + " was still " + summary.streamStatus()
                        + " " + STREAM_ACTIVE_TIMEOUT.toSeconds() + " s after CreateStream");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalEngineException("interrupted while waiting for stream " + name + " to become ACTIVE", e);
            }
        }
    }

    /**
     * A name no other call returns, in this JVM or (with overwhelming probability) another: the
     * prefix, made safe for stream and table names, then a random part and a counter.
     */
    public String uniqueName(String prefix) {
        return newUniqueName(prefix);
    }

    static String newUniqueName(String prefix) {
        String safe = NAME_UNSAFE.matcher(prefix == null || prefix.isEmpty() ? "shardwise" : prefix).replaceAll("-");
        if (safe.length() > NAME_PREFIX_MAX) {
            safe = safe.substring(0, NAME_PREFIX_MAX);
        }
        String random = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        return safe + "-" + random + "-" + NAME_COUNTER.incrementAndGet();
    }

    /** The pid of the embedded kinesis-mock's node process, when the kit runs one. */
    OptionalLong kinesisMockPid() {
        return kinesisMock == null ? OptionalLong.empty() : OptionalLong.of(kinesisMock.pid());
    }

    /** Stops a private instance's engines and clients. On the shared instance it does nothing: that stops at JVM exit. */
    @Override
    public void close() {
        if (!sharedInstance) {
            stop();
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        for (AutoCloseable resource : reversed) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("could not close {}", resource, e);
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("these local engines are closed");
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    static KinesisAsyncClient newKinesisAsyncClient(URI endpoint, Protocol protocol) {
        return KinesisAsyncClient.builder()
                .endpointOverride(endpoint).region(REGION).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(protocol).maxConcurrency(64))
                .build();
    }

    /** The endpoints of started engines and what must be closed to stop them. */
    private record RunningEngines(URI kinesisEndpoint, URI kinesisTlsEndpoint, URI dynamoDbEndpoint,
                                  KinesisMockProcess kinesisMock, List<AutoCloseable> resources) {

        static RunningEngines start(Map<String, String> env) {
            return start(env, EnginePlan.choose(env, () -> EnginePlan.dockerAvailable(env)));
        }

        static RunningEngines start(Map<String, String> env, EnginePlan plan) {
            List<AutoCloseable> started = new ArrayList<>();
            try {
                LocalStackEngine localStack = null;
                if (plan.needsLocalStack()) {
                    localStack = LocalStackEngine.start();
                    started.add(localStack);
                }
                // DynamoDB Local starts on another thread while node starts kinesis-mock.
                CompletableFuture<DynamoDbLocalServer> dynamoDbLocal = plan.dynamoDb() == EnginePlan.Source.EMBEDDED
                        ? CompletableFuture.supplyAsync(DynamoDbLocalServer::start)
                        : CompletableFuture.completedFuture(null);
                KinesisMockProcess kinesisMock = null;
                URI kinesis;
                URI kinesisTls;
                try {
                    switch (plan.kinesis()) {
                        case EXTERNAL -> {
                            kinesis = EnginePlan.endpointFrom(env, EnginePlan.KINESIS_ENDPOINT_VARIABLE);
                            kinesisTls = kinesis;
                        }
                        case LOCALSTACK -> {
                            kinesis = localStack.endpoint();
                            kinesisTls = localStack.tlsEndpoint();
                        }
                        default -> {
                            kinesisMock = KinesisMockProcess.start(env);
                            started.add(kinesisMock);
                            kinesis = kinesisMock.endpoint();
                            kinesisTls = kinesisMock.tlsEndpoint();
                        }
                    }
                } finally {
                    DynamoDbLocalServer server = joinQuietly(dynamoDbLocal);
                    if (server != null) {
                        started.add(server);
                    }
                }
                DynamoDbLocalServer server = dynamoDbLocal.join();
                URI dynamoDb = switch (plan.dynamoDb()) {
                    case EXTERNAL -> EnginePlan.endpointFrom(env, EnginePlan.DYNAMODB_ENDPOINT_VARIABLE);
                    case LOCALSTACK -> localStack.endpoint();
                    case EMBEDDED -> server.endpoint();
                };
                LOG.info("Shardwise local engines: Kinesis {} at {} (TLS {}), DynamoDB {} at {}",
                        describe(plan.kinesis(), "kinesis-mock"), kinesis, kinesisTls,
                        describe(plan.dynamoDb(), "DynamoDB Local"), dynamoDb);
                return new RunningEngines(kinesis, kinesisTls, dynamoDb, kinesisMock, started);
            } catch (RuntimeException e) {
                Collections.reverse(started);
                for (AutoCloseable resource : started) {
                    try {
                        resource.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw unwrap(e);
            }
        }

        private static DynamoDbLocalServer joinQuietly(CompletableFuture<DynamoDbLocalServer> future) {
            try {
                return future.join();
            } catch (CompletionException failedToStart) {
                return null;
            }
        }

        private static RuntimeException unwrap(RuntimeException e) {
            return e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }

        private static String describe(EnginePlan.Source source, String embeddedName) {
            return switch (source) {
                case EXTERNAL -> "from the environment";
                case LOCALSTACK -> "in LocalStack " + LocalStackEngine.IMAGE;
                case EMBEDDED -> "embedded " + embeddedName;
            };
        }
    }
}
