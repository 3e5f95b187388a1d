package io.shardwise.benchmarks.consumer;

import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A Shardwise worker at default settings in its own JVM, for the SIGKILL measurement: prints
 * {@code REC <shard> <epochMillis>} per record; exits when stdin closes.
 * Args: kinesisEndpoint dynamoDbEndpoint stream application workerId.
 */
public final class BenchWorkerMain {
    private BenchWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        ShardwiseConsumer consumer = ShardwiseConsumer.builder()
                .applicationName(args[3]).streamName(args[2]).region(Region.US_EAST_1)
                .kinesisEndpoint(URI.create(args[0])).dynamoDbEndpoint(URI.create(args[1]))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("shardwisetest", "shardwisetest")))
                .workerId(args[4]).initialPosition(InitialPosition.latest())
                .recordHandler(r -> {
                    String line = "REC " + r.shardId() + " " + System.currentTimeMillis();
                    synchronized (System.out) {
                        System.out.println(line);
                        System.out.flush();
                    }
                })
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(consumer::close));
        consumer.start();
        while (System.in.read() >= 0) {
            // EOF: the benchmark is gone
        }
        System.exit(0);
    }
}
