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

    /**
     * The number of batch item failures of one invocation over a plain record and an aggregate
     * (whose sub-records are delivered unchecked: no Kinesis client to learn the shard's range).
     */
    public static int run() {
        io.shardwise.aggregation.RecordAggregator aggregator = new io.shardwise.aggregation.RecordAggregator();
        aggregator.tryAdd("a", null, new byte[] {4});
        aggregator.tryAdd("b", null, new byte[] {5, 6});
        KinesisEvent event = new KinesisEvent();
        event.setRecords(List.of(record("1", new byte[] {1, 2, 3}), record("2", aggregator.emit().data())));
        int[] seen = new int[1];
        int failures = KinesisBatchHandler.forEachRecord((r, c) -> seen[0] += r.data().length)
                .handleRequest(event, null).getBatchItemFailures().size();
        if (seen[0] != 6) {
            throw new IllegalStateException("handler saw " + seen[0] + " bytes, expected 6");
        }
        return failures;
    }

    private static KinesisEvent.KinesisEventRecord record(String sequenceNumber, byte[] data) {
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setPartitionKey("k");
        kinesis.setSequenceNumber(sequenceNumber);
        kinesis.setData(ByteBuffer.wrap(data));
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventID("shardId-000000000000:" + sequenceNumber);
        record.setEventSourceARN("arn:aws:kinesis:us-east-1:000000000000:stream/isolated");
        return record;
    }
}
