package io.shardwise.it.consumer;

import io.shardwise.consumer.Checkpoint;
import io.shardwise.consumer.Checkpointer;
import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.LeaseLostException;
import io.shardwise.consumer.RecordProcessor;
import io.shardwise.consumer.ShardwiseConsumer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * A chaos soak's worker in its own JVM. Its processors print one line per event, with the wall
 * time in epoch microseconds ({@link SoakLog} reads them): every record received, every checkpoint
 * that succeeded or failed, every lease lost. A processor checkpoints after a batch when the last
 * checkpoint is older than the checkpoint interval, at a shard's end and when asked to shut down; a
 * failed checkpoint after a batch is logged and not thrown (a throw would have the batch delivered
 * again), the next batch tries again.
 * Args: kinesisEndpoint dynamoDbEndpoint stream table workerId checkpointIntervalMillis.
 */
public final class SoakWorkerMain {
    private SoakWorkerMain() {
    }

    public static void main(String[] args) {
        String worker = args[4];
        Duration checkpointInterval = Duration.ofMillis(Long.parseLong(args[5]));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("shardwisetest", "shardwisetest"));
        // HTTP/1.1, so that the Kinesis fault proxy sees (and faults) every GetRecords call; the
        // consumer takes both clients or neither, so DynamoDB's is the SDK's default one.
        KinesisAsyncClient kinesis = KinesisAsyncClient.builder().endpointOverride(URI.create(args[0]))
                .region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
        AtomicInteger processors = new AtomicInteger();
        ShardwiseConsumer consumer = ShardwiseConsumer.builder()
                .applicationName(args[3])
                .streamName(args[2])
                .region(Region.US_EAST_1)
                .kinesisClient(kinesis)
                .dynamoDbClient(DynamoDbClient.builder().endpointOverride(URI.create(args[1]))
                        .region(Region.US_EAST_1).credentialsProvider(credentials).build())
                .workerId(worker)
                .initialPosition(InitialPosition.trimHorizon())
                .processorFactory(shard -> new LoggingProcessor(worker,
                        worker + "/" + processors.incrementAndGet(), shard, checkpointInterval))
                .build();
        ConsumerWorkerMain.runUntilParentGone(consumer, worker);
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    /** Prints what it receives and checkpoints now and then. */
    private static final class LoggingProcessor implements RecordProcessor {
        private final String worker;
        private final String id;
        private final String shard;
        private final Duration checkpointInterval;
        private long lastCheckpointNanos = System.nanoTime();

        LoggingProcessor(String worker, String id, String shard, Duration checkpointInterval) {
            this.worker = worker;
            this.id = id;
            this.shard = shard;
            this.checkpointInterval = checkpointInterval;
        }

        @Override
        public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind) {
            for (ConsumerRecord r : records) {
                print(SoakLog.delivery(worker, id, shard, r.sequenceNumber(), r.subSequenceNumber(),
                        new String(r.data(), StandardCharsets.UTF_8), nowMicros()));
            }
            if (System.nanoTime() - lastCheckpointNanos >= checkpointInterval.toNanos()) {
                ConsumerRecord last = records.get(records.size() - 1);
                try {
                    checkpointer.checkpoint(last);
                    lastCheckpointNanos = System.nanoTime();
                    print(SoakLog.checkpoint(worker, id, shard, last.position(), nowMicros()));
                } catch (LeaseLostException lost) {
                    throw lost; // the consumer then calls leaseLost()
                } catch (RuntimeException failed) {
                    // Not thrown on: the consumer would deliver the batch again. The next batch retries.
                    print(SoakLog.checkpointFailed(worker, id, shard, false, failed, nowMicros()));
                }
            }
        }

        @Override
        public void leaseLost() {
            print(SoakLog.leaseLost(worker, id, shard, nowMicros()));
        }

        @Override
        public void shardEnded(Checkpointer checkpointer) {
            try {
                checkpointer.checkpoint(Checkpoint.SHARD_END);
            } catch (RuntimeException failed) {
                print(SoakLog.checkpointFailed(worker, id, shard, true, failed, nowMicros()));
                throw failed;
            }
            print(SoakLog.checkpoint(worker, id, shard, Checkpoint.SHARD_END, nowMicros()));
        }

        @Override
        public void shutdownRequested(Checkpointer checkpointer) {
            Checkpoint before = checkpointer.lastCheckpoint();
            try {
                checkpointer.checkpoint();
            } catch (RuntimeException failed) {
                print(SoakLog.checkpointFailed(worker, id, shard, true, failed, nowMicros()));
                throw failed;
            }
            Checkpoint now = checkpointer.lastCheckpoint();
            if (now != null && now.isPosition() && !now.equals(before)) {
                print(SoakLog.checkpoint(worker, id, shard, now, nowMicros()));
            }
        }
    }
}
