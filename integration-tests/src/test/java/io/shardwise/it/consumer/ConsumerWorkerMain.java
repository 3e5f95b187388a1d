package io.shardwise.it.consumer;

import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A consumer worker in its own JVM, for the multi-process tests: prints one line per record
 * ({@code REC <worker> <shard> <epochMillis> <payload>}) and stops when its stdin closes (the test
 * JVM is gone) or on SIGTERM (graceful close).
 * Args: kinesisEndpoint dynamoDbEndpoint stream table workerId.
 */
public final class ConsumerWorkerMain {
    private ConsumerWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        String worker = args[4];
        ShardwiseConsumer consumer = ShardwiseConsumer.builder()
                .applicationName(args[3])
                .streamName(args[2])
                .region(Region.US_EAST_1)
                .kinesisEndpoint(URI.create(args[0]))
                .dynamoDbEndpoint(URI.create(args[1]))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("shardwisetest", "shardwisetest")))
                .workerId(worker)
                .initialPosition(InitialPosition.trimHorizon())
                .recordHandler(r -> {
                    String line = "REC " + worker + " " + r.shardId() + " " + System.currentTimeMillis() + " "
                            + new String(r.data(), StandardCharsets.UTF_8);
                    synchronized (System.out) {
                        System.out.println(line);
                        System.out.flush();
                    }
                })
                .build();
        runUntilParentGone(consumer, worker);
    }

    /**
     * Starts the consumer, prints {@code STARTED <worker>}, and runs until stdin closes (the test
     * JVM is gone); SIGTERM closes the consumer gracefully through a shutdown hook.
     */
    static void runUntilParentGone(ShardwiseConsumer consumer, String worker) {
        Runtime.getRuntime().addShutdownHook(new Thread(consumer::close));
        consumer.start();
        System.out.println("STARTED " + worker);
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // the test never writes: EOF means it is gone
            }
        } catch (IOException parentGone) {
            // same
        }
        System.exit(0);
    }
}
