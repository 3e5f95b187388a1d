package io.shardwise.consumer;

import io.shardwise.kinesis.StreamReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StartingPosition;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

/**
 * The enhanced fan-out consumer of this application: registered once (idempotently: an existing
 * registration is reused), and awaited until ACTIVE before any subscription.
 */
final class FanOutRegistration {
    private static final CallRetry CONTROL_CALLS = new CallRetry("fan-out-registration", 4);

    private static final Logger log = LoggerFactory.getLogger(FanOutRegistration.class);

    private final KinesisAsyncClient kinesis;
    private final StreamReference stream;
    private final String consumerName;
    private String consumerArn;

    FanOutRegistration(KinesisAsyncClient kinesis, StreamReference stream, String consumerName) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.consumerName = consumerName;
    }

    /** Subscribes to one shard as this consumer, registering it first if needed; the future ends with the subscription. */
    CompletableFuture<Void> subscribe(String shardId, StartingPosition position, SubscribeToShardResponseHandler handler) {
        String arn = consumerArn();
        return kinesis.subscribeToShard(b -> b.consumerARN(arn).shardId(shardId).startingPosition(position), handler);
    }

    /** The consumer ARN, registering and waiting for ACTIVE on first use. */
    synchronized String consumerArn() {
        if (consumerArn != null) {
            return consumerArn;
        }
        String streamArn = stream.arn() != null ? stream.arn()
                : CONTROL_CALLS.call(() -> KinesisCalls.await(kinesis.describeStreamSummary(b -> b.streamName(stream.name())
                        .overrideConfiguration(KinesisCalls::timeout))))
                        .streamDescriptionSummary().streamARN();
        String arn;
        try {
            arn = CONTROL_CALLS.call(() -> KinesisCalls.await(kinesis.registerStreamConsumer(b -> b.streamARN(streamArn)
                    .consumerName(consumerName).overrideConfiguration(KinesisCalls::timeout)))).consumer().consumerARN();
            log.info("Registered enhanced fan-out consumer {} on {}", consumerName, streamArn);
        } catch (ResourceInUseException alreadyRegistered) {
            arn = null;
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            try {
                var description = CONTROL_CALLS.call(() -> KinesisCalls.await(kinesis.describeStreamConsumer(b -> {
                    b.streamARN(streamArn).consumerName(consumerName).overrideConfiguration(KinesisCalls::timeout);
                }))).consumerDescription();
                if (description.consumerStatus() == ConsumerStatus.ACTIVE) {
                    consumerArn = description.consumerARN();
                    return consumerArn;
                }
            } catch (ResourceNotFoundException notYetVisible) {
                // just registered: keep waiting
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fan-out consumer " + consumerName + " on " + streamArn
                        + " did not become ACTIVE within 5 minutes" + (arn == null ? "" : " (" + arn + ")"));
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for fan-out consumer " + consumerName, e);
            }
        }
    }
}
