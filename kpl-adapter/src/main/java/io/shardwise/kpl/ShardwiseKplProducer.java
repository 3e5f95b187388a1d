package io.shardwise.kpl;

import com.amazonaws.services.schemaregistry.common.Schema;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import io.shardwise.producer.InvalidRecordException;
import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.SendResult;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.kinesis.producer.IKinesisProducer;
import software.amazon.kinesis.producer.Metric;
import software.amazon.kinesis.producer.UserRecord;
import software.amazon.kinesis.producer.UserRecordFailedException;
import software.amazon.kinesis.producer.UserRecordResult;

/**
 * The KPL 1.x {@link IKinesisProducer} on Shardwise's {@link KinesisProducer}: code written for the
 * KPL runs unchanged, without the native daemon.
 *
 * <pre>{@code
 * IKinesisProducer kpl = ShardwiseKplProducer.builder()
 *         .region(Region.EU_WEST_1)
 *         .producerOptions(options -> options.maxBufferedTime(Duration.ofMillis(200)))
 *         .build();
 * Futures.addCallback(kpl.addUserRecord("orders", "customer-42", data), callback, executor);
 * kpl.flushSync();
 * kpl.destroy();
 * }</pre>
 *
 * <p>Each stream named in {@code addUserRecord} gets its own {@code KinesisProducer}, built on the
 * stream's first record with the settings given here. Futures complete as the KPL's do: with a
 * successful {@link UserRecordResult}, or failed with {@link UserRecordFailedException} whose result
 * lists the attempts. A record that breaks a Kinesis limit throws {@link IllegalArgumentException}
 * from {@code addUserRecord}, as in the KPL. Futures complete on a producer thread: callbacks on a
 * direct executor must not block. Thread-safe.
 */
public final class ShardwiseKplProducer implements IKinesisProducer {
    private static final Logger log = LoggerFactory.getLogger(ShardwiseKplProducer.class);
    /** How often {@link #flushSync()} flushes again while records are still outstanding, as the KPL does. */
    private static final long FLUSH_SYNC_REPEAT_MILLIS = 500;

    private final StreamProducers producers;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Object allDone = new Object();

    ShardwiseKplProducer(Function<String, KinesisProducer> factory) {
        this.producers = new StreamProducers(factory);
    }

    /** A builder; with nothing set, the SDK's default region and credentials are used. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ListenableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey, ByteBuffer data) {
        return addUserRecord(stream, partitionKey, null, data, null);
    }

    /** A record without a partition key gets a random one, which spreads such records over the shards. */
    @Override
    public ListenableFuture<UserRecordResult> addUserRecord(String stream, ByteBuffer data) {
        return addUserRecord(stream, UUID.randomUUID().toString(), null, data, null);
    }

    @Override
    public ListenableFuture<UserRecordResult> addUserRecord(UserRecord record) {
        Objects.requireNonNull(record, "record");
        return addUserRecord(record.getStreamName(), record.getPartitionKey(), record.getExplicitHashKey(),
                record.getData(), record.getSchema());
    }

    @Override
    public ListenableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey, String explicitHashKey,
            ByteBuffer data) {
        return addUserRecord(stream, partitionKey, explicitHashKey, data, null);
    }

    /**
     * Sends a record. A {@code schema} is not supported (Glue Schema Registry serialization belongs to the
     * KPL): serialize the data yourself and pass {@code null}.
     *
     * @throws IllegalArgumentException for a missing stream, partition key or data, or a record over a
     *         Kinesis limit (the message names the field and the limit)
     * @throws IllegalStateException after {@link #destroy()}
     */
    @Override
    public ListenableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey, String explicitHashKey,
            ByteBuffer data, Schema schema) {
        if (schema != null) {
            throw new UnsupportedOperationException("Glue Schema Registry serialization is not supported by "
                    + "ShardwiseKplProducer; encode the data yourself (GlueSchemaRegistrySerializer.encode) and "
                    + "call addUserRecord without a schema");
        }
        String streamName = require(stream, "stream").trim();
        if (streamName.isEmpty()) {
            throw new IllegalArgumentException("stream is empty; give a stream name or ARN");
        }
        require(partitionKey, "partitionKey");
        require(data, "data");
        UserRecord record = new UserRecord(streamName, partitionKey, explicitHashKey, data);
        Instant addedAt = Instant.now();
        // Counted before it reaches the producer, so a concurrent flushSync never misses it.
        outstanding.incrementAndGet();
        CompletableFuture<SendResult> sent;
        try {
            sent = producers.forStream(streamName)
                    .send(partitionKey, explicitHashKey == null ? null : explicitHashKey.trim(), bytes(data));
            throwIfInvalid(sent);
        } catch (RuntimeException e) {
            recordDone();
            throw e;
        }
        SettableFuture<UserRecordResult> result = SettableFuture.create();
        sent.whenComplete((stored, error) -> {
            if (error == null) {
                result.set(KplResults.success(stored, addedAt));
            } else {
                result.setException(KplResults.failure(error, addedAt, record));
            }
            recordDone();
        });
        return result;
    }

    /** User records added whose futures have not completed, over every stream. */
    @Override
    public int getOutstandingRecordsCount() {
        return outstanding.get();
    }

    /** How long, in milliseconds, the oldest record without a result has been held; 0 when there is none. */
    @Override
    public long getOldestRecordTimeInMillis() {
        long oldest = 0;
        for (KinesisProducer producer : producers.all()) {
            oldest = Math.max(oldest, producer.oldestRecordAge().toMillis());
        }
        return oldest;
    }

    /** Not supported: the producer already takes a stream's name or ARN; give the ARN to {@code addUserRecord}. */
    @Override
    public void setStreamId(String stream, String streamId) {
        throw new UnsupportedOperationException("setStreamId is not supported by ShardwiseKplProducer; "
                + "pass the stream's ARN as the stream of addUserRecord instead");
    }

    /** Not supported: see {@link #getMetrics()}. */
    @Override
    public List<Metric> getMetrics(String metricName, int windowSeconds) {
        throw metricsUnsupported();
    }

    /** Not supported: see {@link #getMetrics()}. */
    @Override
    public List<Metric> getMetrics(String metricName) {
        throw metricsUnsupported();
    }

    /**
     * Not supported: the KPL's metrics come from its daemon. Give a Micrometer registry instead
     * ({@code producerOptions(o -> o.meterRegistry(registry))}); the producer reports records, bytes,
     * attempts, throttles and buffer use there.
     */
    @Override
    public List<Metric> getMetrics() {
        throw metricsUnsupported();
    }

    /** Not supported: see {@link #getMetrics()}. */
    @Override
    public List<Metric> getMetrics(int windowSeconds) {
        throw metricsUnsupported();
    }

    /**
     * As the KPL's: stops at once and fails every outstanding future (a record in a request at that
     * moment may still have been stored). Call {@link #flushSync()} first for a graceful shutdown.
     */
    @Override
    public void destroy() {
        producers.closeAll(Duration.ZERO);
    }

    /** Starts sending what is buffered for one stream, without waiting. */
    @Override
    public void flush(String stream) {
        KinesisProducer producer = producers.existing(require(stream, "stream").trim());
        if (producer != null) {
            producer.flush();
        }
    }

    /** Starts sending what is buffered for every stream, without waiting. */
    @Override
    public void flush() {
        producers.all().forEach(KinesisProducer::flush);
    }

    /** Flushes every stream and waits until every record added has a result (its future is complete). */
    @Override
    public void flushSync() {
        while (outstanding.get() > 0) {
            List<CompletableFuture<Void>> flushes = new ArrayList<>();
            producers.all().forEach(producer -> flushes.add(producer.flush()));
            try {
                CompletableFuture.allOf(flushes.toArray(CompletableFuture[]::new))
                        .get(FLUSH_SYNC_REPEAT_MILLIS, TimeUnit.MILLISECONDS);
                // The flushes completed; the records' futures may still be running their callbacks.
                synchronized (allDone) {
                    if (outstanding.get() > 0) {
                        allDone.wait(FLUSH_SYNC_REPEAT_MILLIS);
                    }
                }
            } catch (TimeoutException | ExecutionException e) {
                // Not done yet, or a flush failed with a closed producer: look at the count again.
                log.debug("flushSync: {} records still outstanding", outstanding.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void recordDone() {
        if (outstanding.decrementAndGet() == 0) {
            synchronized (allDone) {
                allDone.notifyAll();
            }
        }
    }

    /** The KPL rejects a record over a limit by throwing; the producer fails its future at once. */
    private static void throwIfInvalid(CompletableFuture<SendResult> sent) {
        if (!sent.isCompletedExceptionally()) {
            return;
        }
        try {
            sent.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InvalidRecordException invalid) {
                throw new IllegalArgumentException(invalid.getMessage(), invalid);
            }
        }
    }

    private static byte[] bytes(ByteBuffer data) {
        ByteBuffer view = data.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is null; the KPL interface needs one"
                    + ("partitionKey".equals(name) ? " (or call addUserRecord(stream, data) for a random key)" : ""));
        }
        return value;
    }

    private static UnsupportedOperationException metricsUnsupported() {
        return new UnsupportedOperationException("getMetrics is not supported by ShardwiseKplProducer (the KPL's "
                + "metrics come from its daemon); use producerOptions(o -> o.meterRegistry(registry)) for "
                + "Micrometer metrics");
    }

    /** Settings shared by the producers of every stream. */
    public static final class Builder {
        /** Where and as whom every stream's producer connects; applied after {@link #producerOptions}. */
        private Consumer<KinesisProducer.Builder> connection = producer -> {};
        private Consumer<KinesisProducer.Builder> options = options -> {};

        private Builder() {}

        /** The region. Default: the SDK's region provider chain. */
        public Builder region(Region region) {
            connection = connection.andThen(producer -> producer.region(region));
            return this;
        }

        /** The Kinesis endpoint, e.g. a local engine. Default: the region's. */
        public Builder endpoint(URI endpoint) {
            connection = connection.andThen(producer -> producer.kinesisEndpoint(endpoint));
            return this;
        }

        /** The credentials. Default: the SDK's default provider chain. */
        public Builder credentials(AwsCredentialsProvider credentials) {
            connection = connection.andThen(producer -> producer.credentialsProvider(credentials));
            return this;
        }

        /**
         * Further options of each stream's {@link KinesisProducer} (buffering time, time to live, memory
         * bound, ordering, metrics, a client of your own...). The stream, region, endpoint and credentials
         * given here are applied after them. Options are checked when a stream's first record is added.
         */
        public Builder producerOptions(Consumer<KinesisProducer.Builder> options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public ShardwiseKplProducer build() {
            Consumer<KinesisProducer.Builder> connection = this.connection;
            Consumer<KinesisProducer.Builder> options = this.options;
            return new ShardwiseKplProducer(stream -> {
                KinesisProducer.Builder builder = KinesisProducer.builder();
                options.accept(builder);
                builder.stream(stream);
                connection.accept(builder);
                log.debug("building the producer of stream {}", stream);
                return builder.build();
            });
        }
    }
}
