package io.shardwise.it.support;

import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.kcl.KclPeer;

import io.shardwise.consumer.StreamConfig;
import java.util.List;
import java.time.Duration;
import software.amazon.awssdk.arns.Arn;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.processor.FormerStreamsLeasesDeletionStrategy;
import software.amazon.kinesis.processor.MultiStreamTracker;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.StreamTracker;

/**
 * A running worker of the real KCL 3.5.1 on the local engines ({@link KclPeer}: polling, metrics off,
 * lease table named after the application), from TRIM_HORIZON, with intervals shortened so a test
 * does not wait a minute.
 */
public final class KclWorker implements AutoCloseable {
    /** How often the KCL leader assigns unowned and expired leases (its default: twice the failover time, 10 s). */
    public static final Duration LEASE_ASSIGNMENT_INTERVAL = Duration.ofSeconds(1);

    /**
     * Polls every 200 ms, a lease fails over after 5 s, new shards are found within 2 s, leases are
     * assigned every second, the worker's loop turns every 200 ms (each step of a shard processor's life
     * takes a turn) and a child shard looks for its parents' end every 500 ms.
     */
    private static final KclPeer.Timings TEST_TIMINGS = new KclPeer.Timings(Duration.ofMillis(200),
            Duration.ofSeconds(5), Duration.ofSeconds(2), LEASE_ASSIGNMENT_INTERVAL, Duration.ofMillis(200),
            Duration.ofMillis(500));

    private final KclPeer peer;

    public KclWorker(LocalEngines engines, String streamName, String applicationName, String workerId,
                     ShardRecordProcessorFactory processors) {
        this(forTests(engines, applicationName, workerId, processors)
                .stream(streamName, InitialPositionInStream.TRIM_HORIZON));
    }

    /** A worker of the streams {@code tracker} names: a multi-stream application when it is a {@code MultiStreamTracker}. */
    public KclWorker(LocalEngines engines, StreamTracker tracker, String applicationName, String workerId,
                     ShardRecordProcessorFactory processors) {
        this(forTests(engines, applicationName, workerId, processors).streams(tracker));
    }

    private KclWorker(KclPeer.Builder builder) {
        peer = builder.build().start();
    }

    private static KclPeer.Builder forTests(LocalEngines engines, String applicationName, String workerId,
                                            ShardRecordProcessorFactory processors) {
        return KclPeer.builder(applicationName, workerId, processors)
                .clients(engines.kinesisAsyncClient(), engines.dynamoDbAsyncClient())
                .timings(TEST_TIMINGS);
    }

    /** Graceful shutdown: processors are asked to checkpoint, leases are released. */
    @Override
    public void close() throws Exception {
        peer.close();
    }

    /** The KCL's own multi-stream tracker over Shardwise stream configs (by ARN and creation epoch), from TRIM_HORIZON. */
    public static MultiStreamTracker multiStreamTracker(List<StreamConfig> configs) {
        List<software.amazon.kinesis.common.StreamConfig> kclConfigs = configs.stream()
                .map(c -> new software.amazon.kinesis.common.StreamConfig(
                        software.amazon.kinesis.common.StreamIdentifier.multiStreamInstance(
                                Arn.fromString(c.streamArn()), c.streamIdentifier().creationEpoch()),
                        InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)))
                .toList();
        return new MultiStreamTracker() {
            @Override
            public List<software.amazon.kinesis.common.StreamConfig> streamConfigList() {
                return kclConfigs;
            }

            @Override
            public FormerStreamsLeasesDeletionStrategy formerStreamsLeasesDeletionStrategy() {
                return new FormerStreamsLeasesDeletionStrategy.NoLeaseDeletionStrategy();
            }
        };
    }
}
