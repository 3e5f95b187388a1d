package io.shardwise.it.support;

import io.shardwise.testkit.engines.LocalEngines;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import software.amazon.kinesis.producer.KinesisProducer;
import software.amazon.kinesis.producer.KinesisProducerConfiguration;

/**
 * The real KPL 1.1.1, configured for the local Kinesis engine: its native daemon only speaks TLS,
 * so it goes to the engine's TLS port without verifying the self-signed certificate (docs/engines-and-registry.md).
 */
public final class Kpl {
    private Kpl() {}

    /** A KPL with {@link #config} as it is. */
    public static KinesisProducer against(LocalEngines engines) {
        return new KinesisProducer(config(engines));
    }

    /** The configuration for the local engines, for tests that tune it further before starting a KPL. */
    public static KinesisProducerConfiguration config(LocalEngines engines) {
        URI tls = engines.kinesisTlsEndpoint();
        return new KinesisProducerConfiguration()
                .setRegion(engines.region().id())
                .setCredentialsProvider(engines.credentials())
                .setKinesisEndpoint(tls.getHost())
                .setKinesisPort(tls.getPort())
                .setVerifyCertificate(false)
                .setMetricsLevel("none")
                .setLogLevel("warning")
                .setAggregationEnabled(true)
                .setRecordMaxBufferedTime(200)
                // kinesis-mock is slow and its TLS connections sometimes stall: be patient, never drop.
                .setRequestTimeout(30_000)
                .setConnectTimeout(10_000)
                .setRecordTtl(120_000);
    }

    /**
     * Sends one record with {@code warmUpKey} and gives the KPL time to load its shard map: it
     * aggregates only once it knows the shards (docs/engines-and-registry.md).
     */
    public static void warmUp(KinesisProducer kpl, String streamName, String warmUpKey) throws Exception {
        kpl.addUserRecord(streamName, warmUpKey, ByteBuffer.wrap(new byte[] {0})).get(120, TimeUnit.SECONDS);
        Thread.sleep(3_000);
    }
}
