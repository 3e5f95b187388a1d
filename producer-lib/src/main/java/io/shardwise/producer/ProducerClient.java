package io.shardwise.producer;

import io.shardwise.kinesis.AwsClients;
import java.net.URI;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;

/**
 * Builds the Kinesis client a producer owns: the fast PutRecords path ({@link PutRecordsTransport#writtenBodies}).
 * In order: the producer's settings, then the caller's customizer (a proxy, credentials, interceptors,
 * a region...), then what the fast path and the producer's own retries need, which the customizer cannot
 * undo: the {@link PutRecordsBodyInterceptor} is added to whatever override configuration the customizer
 * left, and the SDK's retries are off.
 */
final class ProducerClient {
    /** Few, large requests: two I/O threads keep up (the SDK default is two per core), and each costs a stack and a buffer cache. */
    static final int EVENT_LOOP_THREADS = 2;

    private ProducerClient() {}

    static KinesisAsyncClient build(Region region, URI endpoint, AwsCredentialsProvider credentials, int maxInFlightRequests,
                                    Consumer<KinesisAsyncClientBuilder> customizer) {
        KinesisAsyncClientBuilder builder = KinesisAsyncClient.builder()
                // HTTP/1.1 with a pool: PutRecords gains nothing from HTTP/2 (the SDK's default for
                // Kinesis, meant for SubscribeToShard), and one slow stream must not stall the others.
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)
                        .maxConcurrency(Math.max(maxInFlightRequests, 8))
                        .eventLoopGroupBuilder(SdkEventLoopGroup.builder().numberOfThreads(EVENT_LOOP_THREADS)));
        AwsClients.target(builder, region, endpoint, credentials);
        if (customizer != null) {
            customizer.accept(builder);
        }
        // The producer retries itself, per entry and in order; SDK retries would hide throttles.
        AwsClients.withoutSdkRetries(builder);
        // PutRecords bodies written once by the producer, not marshalled and copied by the SDK.
        builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                .addExecutionInterceptor(new PutRecordsBodyInterceptor()).build());
        return builder.build();
    }
}
