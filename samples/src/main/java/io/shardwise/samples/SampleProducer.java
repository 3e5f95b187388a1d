package io.shardwise.samples;

import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.SendResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sample producer: sends order events (one JSON document per record, keyed by customer so each
 * customer's orders stay in order) through the Shardwise producer, then waits for every result.
 *
 * <pre>
 * java -cp samples/target/shardwise-samples.jar io.shardwise.samples.SampleProducer STREAM [COUNT]
 * </pre>
 */
public final class SampleProducer {

    private SampleProducer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: SampleProducer STREAM [COUNT]   (COUNT defaults to 1000)");
            System.exit(2);
        }
        String stream = args[0];
        int count = args.length == 2 ? Integer.parseInt(args[1]) : 1000;
        SampleEnvironment env = SampleEnvironment.fromEnvironment();
        KinesisProducer.Builder builder = KinesisProducer.builder().stream(stream).region(env.region());
        if (env.kinesisEndpoint() != null) {
            builder.endpoint(env.kinesisEndpoint());
        }
        int failed;
        try (KinesisProducer producer = builder.build()) {
            failed = send(producer, count);
        }
        System.out.println("sent " + (count - failed) + " of " + count + " orders to " + stream + " on " + env.describe());
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Sends {@code count} orders over 20 customers; returns how many failed (each failure is printed). */
    static int send(KinesisProducer producer, int count) {
        List<CompletableFuture<SendResult>> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String customer = "customer-" + (i % 20);
            String order = "{\"order\":" + i + ",\"customer\":\"" + customer + "\",\"amountCents\":" + (100 + i % 900)
                    + "}";
            results.add(producer.send(customer, order.getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush().orTimeout(Duration.ofMinutes(2).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionally(e -> null).join();
        int failed = 0;
        for (CompletableFuture<SendResult> result : results) {
            try {
                result.join();
            } catch (RuntimeException e) {
                failed++;
                if (failed <= 5) {
                    System.err.println("order not sent: " + e.getCause());
                }
            }
        }
        return failed;
    }
}
