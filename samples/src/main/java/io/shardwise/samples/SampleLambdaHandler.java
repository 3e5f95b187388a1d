package io.shardwise.samples;

import com.amazonaws.services.lambda.runtime.Context;
import io.shardwise.lambda.KinesisBatchHandler;
import io.shardwise.lambda.KinesisUserRecord;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sample Lambda function for a Kinesis event source mapping (with {@code ReportBatchItemFailures}):
 * every user record, KPL aggregates unpacked, in order; a record that is not an order event fails,
 * and only it and what follows it in its shard are retried.
 *
 * <p>Handler string: {@code io.shardwise.samples.SampleLambdaHandler::handleRequest}; deployment
 * jar: {@code samples/target/shardwise-sample-lambda.jar}.
 */
public class SampleLambdaHandler extends KinesisBatchHandler {

    private final Consumer<KinesisUserRecord> orders;

    /** What Lambda calls: logs each order. */
    public SampleLambdaHandler() {
        this(record -> System.out.println("order from " + record.partitionKey() + ": " + record.text()));
    }

    /** Hands each order to {@code orders} (for tests, or to store them somewhere). */
    public SampleLambdaHandler(Consumer<KinesisUserRecord> orders) {
        this.orders = Objects.requireNonNull(orders, "orders");
    }

    @Override
    protected void handleRecord(KinesisUserRecord record, Context context) {
        String text = record.text();
        if (!text.startsWith("{\"order\":")) {
            throw new IllegalArgumentException("record " + record.sequenceNumber() + "/" + record.subSequenceNumber()
                    + " of " + record.partitionKey() + " is not an order event");
        }
        orders.accept(record);
    }
}
