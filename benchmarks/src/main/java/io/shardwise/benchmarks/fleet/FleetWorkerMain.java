package io.shardwise.benchmarks.fleet;

import io.shardwise.benchmarks.consumer.CheckpointingRecordProcessor;
import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.testkit.kcl.CheckpointingShardRecordProcessor;
import io.shardwise.testkit.kcl.KclPeer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;

/**
 * One JVM of a fleet: several workers of one consumer (Shardwise or the KCL 3.5.1), each with its own
 * SDK clients, as separate hosts would run them. Every 250 ms it prints, per worker that received
 * batches since the last report, {@code D <worker> <epochMillis> <shard index,...>}, and the user
 * records this JVM received so far, {@code N <count>}. Exits at once when stdin closes.
 *
 * <p>Args: {@code shardwise|kcl kinesisEndpoint dynamoDbEndpoint stream application worker[,worker...]}.
 * Run with {@code -Daws.cborEnabled=false} (the fake Kinesis speaks JSON).
 */
public final class FleetWorkerMain {
    static final long REPORT_MILLIS = 250;
    private static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("shardwisetest", "shardwisetest"));

    private static final LongAdder RECORDS = new LongAdder();
    private static final Map<String, AtomicReference<Set<Integer>>> DELIVERED = new ConcurrentHashMap<>();

    private FleetWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("aws.cborEnabled", "false");
        String kind = args[0];
        URI kinesis = URI.create(args[1]);
        URI dynamo = URI.create(args[2]);
        String stream = args[3];
        String app = args[4];
        List<String> workers = List.of(args[5].split(","));
        for (String worker : workers) {
            DELIVERED.put(worker, new AtomicReference<>(ConcurrentHashMap.newKeySet()));
        }
        Thread reporter = new Thread(FleetWorkerMain::report, "fleet-report");
        reporter.setDaemon(true);
        reporter.start();
        for (String worker : workers) {
            if (kind.equals("shardwise")) {
                startShardwise(kinesis, dynamo, stream, app, worker);
            } else if (kind.equals("kcl")) {
                startKcl(kinesis, dynamo, stream, app, worker);
            } else {
                throw new IllegalArgumentException("consumer kind must be shardwise or kcl, was " + kind);
            }
        }
        while (System.in.read() >= 0) {
            // the harness holds stdin open while this JVM should run
        }
        Runtime.getRuntime().halt(0);
    }

    private static void report() {
        StringBuilder out = new StringBuilder();
        while (true) {
            try {
                Thread.sleep(REPORT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            out.setLength(0);
            long now = System.currentTimeMillis();
            DELIVERED.forEach((worker, ref) -> {
                Set<Integer> shards = ref.getAndSet(ConcurrentHashMap.newKeySet());
                if (!shards.isEmpty()) {
                    out.append("D ").append(worker).append(' ').append(now).append(' ');
                    boolean first = true;
                    for (int s : shards) {
                        out.append(first ? "" : ",").append(s);
                        first = false;
                    }
                    out.append('\n');
                }
            });
            out.append("N ").append(RECORDS.sum()).append('\n');
            System.out.print(out);
            System.out.flush();
        }
    }

    private static void delivered(String worker, String shardId, int records) {
        RECORDS.add(records);
        DELIVERED.get(worker).get().add(FakeStream.indexOf(shardId));
    }

    private static void startShardwise(URI kinesis, URI dynamo, String stream, String app, String worker) {
        // The clients the builder would make, except HTTP/1.1 for Kinesis (the SDK's default for Kinesis
        // is HTTP/2, which the fake does not speak): no SDK retries (the consumer retries), 5 s per DynamoDB call.
        KinesisAsyncClient kinesisClient = KinesisAsyncClient.builder().endpointOverride(kinesis)
                .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        DynamoDbClient dynamoClient = DynamoDbClient.builder().endpointOverride(dynamo).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(5))).build();
        ShardwiseConsumer consumer = ShardwiseConsumer.builder().applicationName(app).streamName(stream)
                .kinesisClient(kinesisClient).dynamoDbClient(dynamoClient).workerId(worker).initialPosition(InitialPosition.latest())
                .processorFactory(shard -> new CheckpointingRecordProcessor(records -> {
                    if (!records.isEmpty()) {
                        delivered(worker, records.get(0).shardId(), records.size());
                    }
                }))
                .build();
        try {
            consumer.start();
        } catch (RuntimeException e) {
            // Start failed (e.g. a DynamoDB call timed out while every JVM of the run was starting on
            // two cores): start the worker again, as a supervisor would.
            e.printStackTrace();
            System.out.println("R " + worker);
            consumer.close();
            startShardwise(kinesis, dynamo, stream, app, worker);
        }
    }

    private static void startKcl(URI kinesisEndpoint, URI dynamoEndpoint, String stream, String app, String worker) {
        KinesisAsyncClient kinesis = KinesisAsyncClient.builder().endpointOverride(kinesisEndpoint)
                .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)
                        .maxConcurrency(Integer.MAX_VALUE))
                .build();
        DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder().endpointOverride(dynamoEndpoint)
                .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build();
        KclPeer kcl = KclPeer.builder(app, worker, () -> new KclProcessor(worker)).clients(kinesis, dynamo)
                .stream(stream, InitialPositionInStream.LATEST).build();
        Thread thread = new Thread(() -> {
            kcl.run();
            // The scheduler gave up (e.g. it lost the race to create the KCL 3.x migration state when
            // workers start together): restart the worker, as a supervisor would.
            System.out.println("R " + worker);
            startKcl(kinesisEndpoint, dynamoEndpoint, stream, app, worker);
        }, "kcl-" + worker);
        thread.setDaemon(true);
        thread.start();
    }

    /** The KCL's processor: counts, reports, checkpoints at the same cadence as ours. */
    private static final class KclProcessor extends CheckpointingShardRecordProcessor {
        private final String worker;

        KclProcessor(String worker) {
            this.worker = worker;
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            if (input.records().isEmpty()) {
                return;
            }
            delivered(worker, shardId(), input.records().size());
            checkpointEvery(CheckpointingRecordProcessor.INTERVAL, input.checkpointer());
        }
    }

    static List<Integer> parseShards(String csv) {
        List<Integer> shards = new ArrayList<>();
        for (String s : csv.split(",")) {
            shards.add(Integer.parseInt(s));
        }
        return shards;
    }
}
