package io.shardwise.benchmarks.producer;

import com.google.common.util.concurrent.ListenableFuture;
import io.shardwise.producer.KinesisProducer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.kinesis.producer.KinesisProducerConfiguration;
import software.amazon.kinesis.producer.UserRecordResult;

/**
 * Our producer and the KPL set up alike against a {@link FakeKinesisEndpoint} on this host, for the
 * load JVMs; each load adds its own settings.
 */
final class ProducersUnderTest {
    static final String STREAM = "bench";
    /** What the KPL may hold before the load waits (it never pushes back; see {@link #addBounded}). */
    static final long KPL_OUTSTANDING = Long.getLong("bench.kplOutstanding", 60_000);

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"));

    private ProducersUnderTest() {
    }

    /** Our producer of {@link #STREAM} on the endpoint's plain HTTP {@code port}. */
    static KinesisProducer.Builder shardwise(int port) {
        return KinesisProducer.builder().stream(STREAM).endpoint(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1).credentials(CREDENTIALS);
    }

    /** Builds our producer and waits (up to 30 s) until it is ready to send. */
    static KinesisProducer ready(KinesisProducer.Builder builder) throws Exception {
        KinesisProducer producer = builder.build();
        producer.ready().get(30, TimeUnit.SECONDS);
        return producer;
    }

    /** The KPL on the endpoint's TLS {@code port} (a self-signed certificate), metrics off, warnings only. */
    static KinesisProducerConfiguration kplConfig(int tlsPort) {
        return new KinesisProducerConfiguration()
                .setRegion("us-east-1")
                .setCredentialsProvider(CREDENTIALS)
                .setKinesisEndpoint("127.0.0.1").setKinesisPort(tlsPort).setVerifyCertificate(false)
                .setMetricsLevel("none").setLogLevel("warning");
    }

    /** Starts the KPL and lets it load its shard map before the load: it aggregates only once it has one. */
    static software.amazon.kinesis.producer.KinesisProducer kpl(KinesisProducerConfiguration config)
            throws InterruptedException {
        software.amazon.kinesis.producer.KinesisProducer producer =
                new software.amazon.kinesis.producer.KinesisProducer(config);
        Thread.sleep(3_000);
        return producer;
    }

    /**
     * Adds a user record once the KPL holds at most {@link #KPL_OUTSTANDING}: the KPL never pushes
     * back, so the caller bounds what it holds, as its documentation asks of callers.
     */
    static ListenableFuture<UserRecordResult> addBounded(software.amazon.kinesis.producer.KinesisProducer producer,
                                                         String key, byte[] data) throws InterruptedException {
        while (producer.getOutstandingRecordsCount() > KPL_OUTSTANDING) {
            Thread.sleep(1);
        }
        return producer.addUserRecord(STREAM, key, ByteBuffer.wrap(data));
    }

    /**
     * A producer under a load: the load adds how it sends; how many records are still pending and how
     * the producer closes are given by each producer's own calls.
     */
    abstract static class Loaded implements AutoCloseable {
        private final LongSupplier outstanding;
        private final AutoCloseable close;

        Loaded(LongSupplier outstanding, AutoCloseable close) {
            this.outstanding = outstanding;
            this.close = close;
        }

        /** Records sent and not yet answered. */
        final long outstanding() {
            return outstanding.getAsLong();
        }

        @Override
        public final void close() throws Exception {
            close.close();
        }
    }
}
