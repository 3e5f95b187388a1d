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
        requireApplicationAndStream(args, "SampleWorker");
        SampleEnvironment env = SampleEnvironment.fromEnvironment();
        ShardwiseConsumer consumer = connected(env, args[0], args[1])
                .recordHandler(record -> print(record.shardId() + " " + record.partitionKey() + " "
                        + new String(record.data(), StandardCharsets.UTF_8)))
                .build();
        runUntilStopped(consumer, args[1], env);
    }

    /** Exits with a usage line unless {@code args} are exactly APPLICATION STREAM. */
    static void requireApplicationAndStream(String[] args, String sample) {
        if (args.length != 2) {
            System.err.println("usage: " + sample + " APPLICATION STREAM");
            System.exit(2);
        }
    }

    /** A consumer builder for the application and stream, on AWS or the endpoints of {@code env}. */
    static ShardwiseConsumer.Builder connected(SampleEnvironment env, String application, String stream) {
        ShardwiseConsumer.Builder builder = ShardwiseConsumer.builder()
                .applicationName(application)
                .streamName(stream)
                .region(env.region())
                .initialPosition(InitialPosition.trimHorizon());
        if (env.kinesisEndpoint() != null) {
            builder.kinesisEndpoint(env.kinesisEndpoint());
        }
        if (env.dynamoDbEndpoint() != null) {
            builder.dynamoDbEndpoint(env.dynamoDbEndpoint());
        }
        return builder;
    }

    /** Starts the consumer and runs until SIGTERM (Ctrl-C), which closes it gracefully. */
    static void runUntilStopped(ShardwiseConsumer consumer, String stream, SampleEnvironment env)
            throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.close();
            closed.countDown();
        }, "sample-worker-stop"));
        consumer.start();
        System.err.println("worker " + consumer.workerId() + " processing " + stream + " on " + env.describe()
                + " (Ctrl-C stops it)");
        closed.await();
    }

    /** One whole line on standard output, never interleaved with another shard's. */
    static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
