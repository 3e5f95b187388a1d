package io.shardwise.testkit.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault-injecting HTTP proxy in front of a local Kinesis or DynamoDB engine's plain HTTP port.
 * Point an SDK client at {@link #endpoint()}; calls pass through to upstream unless a
 * {@link FaultRules rule} chooses a fault for them: a ProvisionedThroughputExceededException for
 * the whole call or for PutRecords entries, 500 or 503 answers, added latency, a dropped
 * connection, the real per-shard write limits, or a stall (of every call or of one operation).
 * Faults are drawn from a seed, so runs repeat, and counted in {@link #counts()}. HTTP/2 cleartext
 * connections (SubscribeToShard) are relayed untouched.
 *
 * <p>The operation and the service come from each request's {@code X-Amz-Target} header
 * ({@code Kinesis_20131202.PutRecords}, {@code DynamoDB_20120810.UpdateItem}); errors are written
 * the way that service writes them, so the SDK classifies them as it would the real ones (a
 * DynamoDB throttle is a {@code ProvisionedThroughputExceededException} with
 * {@code isThrottlingException()}, a 500 an {@code InternalServerErrorException}).
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint())
 *         .seed(42).throttleEntries(0.2).start()) {
 *     KinesisAsyncClient client = engines.kinesisAsyncClient(proxy.endpoint());
 *     ...
 *     proxy.counts().injected(FaultKind.THROTTLED_ENTRY);
 * }
 * try (FaultProxy leases = FaultProxy.builder(engines.dynamoDbEndpoint()).seed(7).start()) {
 *     DynamoDbClient dynamo = engines.dynamoDbClient(leases.endpoint());
 *     leases.updateRules(r -> r.latency("UpdateItem", Duration.ofMillis(800)));   // on ...
 *     leases.updateRules(r -> r.latency("UpdateItem", Duration.ZERO));            // ... and off
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    /** What a stalled proxy does with calls. */
    public enum StallMode {
        /** Holds every call until the stall ends (an endpoint that stopped answering). */
        HOLD,
        /** Answers every call with ProvisionedThroughputExceededException until the stall ends. */
        THROTTLE
    }

    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
    private static final AtomicInteger CONNECTION_IDS = new AtomicInteger();

    private final URI upstream;
    private final ServerSocket server;
    private final FaultTally tally = new FaultTally();
    private final FaultStall stall;
    private final FaultInjector injector;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile FaultRules rules;
    private volatile boolean closed;

    private FaultProxy(Builder builder) throws IOException {
        this.upstream = builder.upstream;
        this.rules = builder.rules.build();
        this.stall = new FaultStall(builder.stallMode, builder.stalled);
        this.injector = new FaultInjector(upstream, () -> rules, new FaultDice(builder.seed), tally, stall,
                new ShardLimiter(builder.nanoClock));
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port));
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.debug("Fault proxy on {} in front of {}", endpoint(), upstream);
    }

    /**
     * A builder for a proxy in front of {@code upstream}, a plain {@code http://host:port} endpoint
     * of Kinesis or DynamoDB.
     */
    public static Builder builder(URI upstream) {
        return new Builder(upstream);
    }

    /** Where to point SDK clients: {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** A snapshot of requests seen and faults injected so far. */
    public FaultCounts counts() {
        return tally.snapshot();
    }

    /** The rules in force. */
    public FaultRules rules() {
        return rules;
    }

    /** Replaces the rules; calls that arrive from now on follow the new ones. */
    public synchronized void setRules(FaultRules newRules) {
        this.rules = Objects.requireNonNull(newRules, "newRules");
    }

    /**
     * Changes the rules in force, e.g. {@code updateRules(r -> r.throttleCalls("GetItem", 0.5))}; a
     * probability of 0 or a latency of zero turns a rule off again. Concurrent updates do not lose
     * each other's changes.
     */
    public synchronized FaultRules updateRules(UnaryOperator<FaultRules.Builder> change) {
        FaultRules changed = change.apply(rules.toBuilder()).build();
        this.rules = changed;
        return changed;
    }

    /**
     * Starts or ends a stall; ending it releases every held call. A held call is forwarded when it
     * is released even if its client gave up meanwhile, as a request delayed in a slow network
     * would be: a client that retried may then write the same record twice.
     */
    public void setStalled(boolean stalled) {
        stall.set(stalled);
    }

    public boolean isStalled() {
        return stall.isStalled();
    }

    /**
     * Starts or ends a stall of one operation only (e.g. {@code "UpdateItem"}), in the proxy's
     * {@link StallMode}; other operations pass. A stall of every call also covers this operation.
     */
    public void setStalled(String operation, boolean stalled) {
        stall.set(operation, stalled);
    }

    public boolean isStalled(String operation) {
        return stall.isStalled(operation);
    }

    /** Stops accepting, releases held calls and closes every open connection. */
    @Override
    public void close() {
        closed = true;
        stall.releaseAll();
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("Closing the fault proxy listener failed", e);
        }
        for (Socket client : clients) {
            closeQuietly(client);
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (SocketException e) {
                return; // the listener was closed
            } catch (IOException e) {
                LOG.warn("Fault proxy failed to accept a connection", e);
                continue;
            }
            clients.add(client);
            if (closed) {
                closeQuietly(client);
            }
            FaultConnection connection = new FaultConnection(client, upstream, injector, tally);
            Thread thread = new Thread(() -> {
                try {
                    connection.run();
                } finally {
                    clients.remove(client);
                }
            }, "fault-proxy-connection-" + CONNECTION_IDS.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }

    /**
     * Configures a {@link FaultProxy}. The fault methods are shortcuts for the same methods of
     * {@link FaultRules.Builder}; {@link #rules(FaultRules)} replaces all of them at once.
     */
    public static final class Builder {
        private final URI upstream;
        private FaultRules.Builder rules = FaultRules.builder();
        private long seed = 1L;
        private int port;
        private boolean stalled;
        private StallMode stallMode = StallMode.HOLD;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder(URI upstream) {
            this.upstream = Objects.requireNonNull(upstream, "upstream");
            if (!"http".equalsIgnoreCase(upstream.getScheme()) || upstream.getHost() == null) {
                throw new IllegalArgumentException(
                        "upstream must be a plain http://host:port endpoint, was " + upstream);
            }
        }

        /** Seed of every fault decision; the same seed and the same calls give the same faults. Default 1. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Local port to listen on; default 0, a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        public Builder rules(FaultRules faultRules) {
            this.rules = faultRules.toBuilder();
            return this;
        }

        /** See {@link FaultRules.Builder#throttleCalls(String, double)}. */
        public Builder throttleCalls(String operation, double probability) {
            return rule(r -> r.throttleCalls(operation, probability));
        }

        /** See {@link FaultRules.Builder#throttleEntries(double)}. */
        public Builder throttleEntries(double probability) {
            return rule(r -> r.throttleEntries(probability));
        }

        /** See {@link FaultRules.Builder#throttlePartitionKeys(Predicate)}. */
        public Builder throttlePartitionKeys(Predicate<String> partitionKeys) {
            return rule(r -> r.throttlePartitionKeys(partitionKeys));
        }

        /** See {@link FaultRules.Builder#serverErrors(String, double, double)}. */
        public Builder serverErrors(String operation, double probability500, double probability503) {
            return rule(r -> r.serverErrors(operation, probability500, probability503));
        }

        /** See {@link FaultRules.Builder#latency(String, Duration)}. */
        public Builder latency(String operation, Duration delay) {
            return rule(r -> r.latency(operation, delay));
        }

        /** See {@link FaultRules.Builder#dropConnections(String, double)}. */
        public Builder dropConnections(String operation, double probability) {
            return rule(r -> r.dropConnections(operation, probability));
        }

        /** See {@link FaultRules.Builder#shardLimits(boolean)}. */
        public Builder shardLimits(boolean enabled) {
            return rule(r -> r.shardLimits(enabled));
        }

        /** Every shortcut is one change of the rules being built. */
        private Builder rule(Consumer<FaultRules.Builder> change) {
            change.accept(rules);
            return this;
        }

        /** Whether the proxy starts stalled; default false. */
        public Builder stalled(boolean stalledAtStart) {
            this.stalled = stalledAtStart;
            return this;
        }

        /** What a stall does; default {@link StallMode#HOLD}. */
        public Builder stallMode(StallMode mode) {
            this.stallMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The time source of the shard limits, in nanoseconds; tests freeze or step it. */
        Builder nanoClock(LongSupplier clock) {
            this.nanoClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Binds the listening port and starts accepting connections. */
        public FaultProxy start() {
            try {
                return new FaultProxy(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the fault proxy on port " + port, e);
            }
        }
    }
}
