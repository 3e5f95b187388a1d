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

    private final KinesisAsyncClient client;
    private final KinesisProducer producer;

    private PutProducer(KinesisAsyncClient client, KinesisProducer producer) {
        this.client = client;
        this.producer = producer;
    }

    /** The producer for {@code stream} at {@code target}, with at most {@code maxBufferedBytes} buffered (null: its default). */
    static PutProducer open(Target target, String stream, Long maxBufferedBytes) {
        requireStream(target, stream);
        KinesisAsyncClient client = target.kinesisAsyncClient();
        try {
            KinesisProducer.Builder builder = KinesisProducer.builder().stream(stream).client(client);
            if (maxBufferedBytes != null) {
                builder.maxBufferedBytes(maxBufferedBytes);
            }
            return new PutProducer(client, builder.build());
        } catch (RuntimeException e) {
            client.close();
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

    /** Closes the producer (it sends what it still buffers), then its client. */
    @Override
    public void close() {
        try {
            producer.close();
        } finally {
            client.close();
        }
    }

    private static void requireStream(Target target, String stream) {
        try (KinesisClient kinesis = target.kinesisClient()) {
            kinesis.describeStreamSummary(b -> b.streamName(stream));
        } catch (ResourceNotFoundException e) {
            throw new CliException("stream " + stream + " does not exist at " + target.description()
                    + ": create it first (e.g. 'shardwise local --stream " + stream + ":2')");
        }
    }
}
