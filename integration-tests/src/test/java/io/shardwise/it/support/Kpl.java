package io.shardwise.it.support;

import io.shardwise.testkit.LocalEngines;
import java.net.URI;
import software.amazon.kinesis.producer.KinesisProducer;
import software.amazon.kinesis.producer.KinesisProducerConfiguration;

/**
 * The real KPL 1.1.1, configured for the local Kinesis engine: its native daemon only speaks TLS,
 * so it goes to the engine's TLS port without verifying the self-signed certificate (FACTS.md).
 */
public final class Kpl {
    private Kpl() {}

    public static KinesisProducer against(LocalEngines engines) {
        URI tls = engines.kinesisTlsEndpoint();
        KinesisProducerConfiguration config = new KinesisProducerConfiguration()
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
        return new KinesisProducer(config);
    }
}
