package io.shardwise.samples;

import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * Sample KCL-style worker: processes every record of a stream with leases and checkpoints in a
 * DynamoDB table named after the application (created when missing). Start several, in one or many
 * processes: they share the shards, and take over a stopped or crashed worker's shards within seconds.
 * Prints one line per record; Ctrl-C (SIGTERM) stops it gracefully, releasing its leases.
 *
 * <pre>
 * java -cp samples/target/shardwise-samples.jar io.shardwise.samples.SampleWorker APPLICATION STREAM
 * </pre>
 */
public final class SampleWorker {

    private SampleWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: SampleWorker APPLICATION STREAM");
            System.exit(2);
        }
        SampleEnvironment env = SampleEnvironment.fromEnvironment();
        ShardwiseConsumer.Builder builder = ShardwiseConsumer.builder()
                .applicationName(args[0])
                .streamName(args[1])
                .region(env.region())
                .initialPosition(InitialPosition.trimHorizon())
                .recordHandler(record -> {
                    String line = record.shardId() + " " + record.partitionKey() + " "
                            + new String(record.data(), StandardCharsets.UTF_8);
                    synchronized (System.out) {
                        System.out.println(line);
                        System.out.flush();
                    }
                });
        if (env.kinesisEndpoint() != null) {
            builder.kinesisEndpoint(env.kinesisEndpoint());
        }
        if (env.dynamoDbEndpoint() != null) {
            builder.dynamoDbEndpoint(env.dynamoDbEndpoint());
        }
        ShardwiseConsumer consumer = builder.build();
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.close();
            closed.countDown();
        }, "sample-worker-stop"));
        consumer.start();
        System.err.println("worker " + consumer.workerId() + " processing " + args[1] + " on " + env.describe()
                + " (Ctrl-C stops it)");
        closed.await();
    }
}
