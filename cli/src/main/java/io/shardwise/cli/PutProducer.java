package io.shardwise.cli;

import io.shardwise.producer.KinesisProducer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * The producer {@code put} sends through, with the clients it needs: opened only for a stream that
 * exists, so a wrong name is one clear error rather than a failure per record.
 */
final class PutProducer implements AutoCloseable {

    private final KinesisClient kinesis;
    private final KinesisAsyncClient async;
    private final KinesisProducer producer;

    private PutProducer(KinesisClient kinesis, KinesisAsyncClient async, KinesisProducer producer) {
        this.kinesis = kinesis;
        this.async = async;
        this.producer = producer;
    }

    /** The producer for {@code stream} at {@code target}, with at most {@code maxBufferedBytes} buffered (null: its default). */
    static PutProducer open(Target target, String stream, Long maxBufferedBytes) {
        KinesisClient kinesis = target.kinesisClient();
        KinesisAsyncClient async = null;
        try {
            async = target.kinesisAsyncClient();
            requireStream(kinesis, target, stream);
            KinesisProducer.Builder builder = KinesisProducer.builder().stream(stream).client(async);
            if (maxBufferedBytes != null) {
                builder.maxBufferedBytes(maxBufferedBytes);
            }
            return new PutProducer(kinesis, async, builder.build());
        } catch (RuntimeException e) {
            if (async != null) {
                async.close();
            }
            kinesis.close();
            throw e;
        }
    }

    KinesisProducer producer() {
        return producer;
    }

    /** Until the producer knows the shards it sends unaggregated: give it a moment to load them. */
    void awaitShardMap() throws InterruptedException {
        try {
            producer.ready().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // it sends anyway, record by record, and each record's future reports a real failure
        }
    }

    /** Closes the producer (it sends what it still buffers), then the clients. */
    @Override
    public void close() {
        try {
            producer.close();
        } finally {
            try {
                async.close();
            } finally {
                kinesis.close();
            }
        }
    }

    private static void requireStream(KinesisClient kinesis, Target target, String stream) {
        try {
            kinesis.describeStreamSummary(b -> b.streamName(stream));
        } catch (ResourceNotFoundException e) {
            throw new CliException("stream " + stream + " does not exist at " + target.description()
                    + ": create it first (e.g. 'shardwise local --stream " + stream + ":2')");
        }
    }
}
