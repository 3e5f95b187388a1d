package io.shardwise.consumer;

import io.shardwise.kinesis.StreamReference;
import java.util.Objects;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;

/**
 * One stream of a multi-stream consumer: its identity, where its shards without a checkpoint
 * start, and optionally its ARN. Kinesis calls name the stream by ARN when one is given (needed for
 * a stream of another account), by name otherwise.
 */
public record StreamConfig(StreamIdentifier streamIdentifier, InitialPosition initialPosition, String streamArn) {

    public StreamConfig {
        Objects.requireNonNull(streamIdentifier, "streamIdentifier");
        Objects.requireNonNull(initialPosition, "initialPosition");
        if (streamArn != null) {
            StreamIdentifier fromArn = StreamIdentifier.fromArn(streamArn, streamIdentifier.creationEpoch());
            if (!fromArn.equals(streamIdentifier)) {
                throw new IllegalArgumentException("streamArn " + streamArn + " names another stream than "
                        + streamIdentifier);
            }
        }
    }

    public StreamConfig(StreamIdentifier streamIdentifier, InitialPosition initialPosition) {
        this(streamIdentifier, initialPosition, null);
    }

    /**
     * The config of a stream given by name or ARN, its account and creation time read with one
     * DescribeStreamSummary call.
     */
    public static StreamConfig describe(KinesisAsyncClient kinesis, String streamNameOrArn,
                                        InitialPosition initialPosition) {
        boolean arn = streamNameOrArn.startsWith("arn:");
        StreamDescriptionSummary summary = KinesisCalls.await(kinesis.describeStreamSummary(b -> {
            if (arn) {
                b.streamARN(streamNameOrArn);
            } else {
                b.streamName(streamNameOrArn);
            }
            b.overrideConfiguration(KinesisCalls::timeout);
        })).streamDescriptionSummary();
        StreamIdentifier id = StreamIdentifier.fromArn(summary.streamARN(),
                summary.streamCreationTimestamp().getEpochSecond());
        return new StreamConfig(id, initialPosition, summary.streamARN());
    }

    StreamReference ref() {
        return streamArn != null ? new StreamReference(null, streamArn) : new StreamReference(streamIdentifier.streamName(), null);
    }
}
