package io.shardwise.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Runs a handler over a small event; {@link OptionalDependenciesTest} loads it by name in a class
 * loader without Jackson and the DynamoDB client, so everything it touches comes from there.
 */
public final class IsolatedHandlerRun {

    private IsolatedHandlerRun() {
    }

    /** The number of batch item failures of one invocation over a plain record. */
    public static int run() {
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setPartitionKey("k");
        kinesis.setSequenceNumber("1");
        kinesis.setData(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventID("shardId-000000000000:1");
        KinesisEvent event = new KinesisEvent();
        event.setRecords(List.of(record));
        int[] seen = new int[1];
        int failures = KinesisBatchHandler.forEachRecord((r, c) -> seen[0] += r.data().length)
                .handleRequest(event, null).getBatchItemFailures().size();
        if (seen[0] != 3) {
            throw new IllegalStateException("handler saw " + seen[0] + " bytes, expected 3");
        }
        return failures;
    }
}
