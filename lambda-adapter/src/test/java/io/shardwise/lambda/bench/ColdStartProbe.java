package io.shardwise.lambda.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Runs in a fresh JVM on the deployment jar alone: loads the handler class named by the first
 * argument, invokes it once with a Kinesis event holding one KPL aggregate (the second argument,
 * base64) and one plain record, and prints {@code coldStartMillis jvmUptimeMillis loadedClasses}.
 * The event is built as objects (the Lambda runtime, not the function, deserializes it).
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        RequestHandler<KinesisEvent, Object> handler = (RequestHandler<KinesisEvent, Object>)
                Class.forName(args[0]).getDeclaredConstructor().newInstance();
        KinesisEvent event = new KinesisEvent();
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        records.add(record("a", "49590338271490256608559692538361571095921575989136588801", Base64.getDecoder().decode(args[1])));
        records.add(record("plain", "49590338271490256608559692538361571095921575989136588802", new byte[100]));
        event.setRecords(records);
        Object response = handler.handleRequest(event, null);
        long coldStartMicros = (System.nanoTime() - start) / 1_000;
        if (response == null) {
            throw new IllegalStateException("no response");
        }
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        System.out.println((coldStartMicros / 1000.0) + " " + uptime);
    }

    private static KinesisEvent.KinesisEventRecord record(String key, String sequence, byte[] data) {
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setPartitionKey(key);
        kinesis.setSequenceNumber(sequence);
        kinesis.setData(ByteBuffer.wrap(data));
        kinesis.setApproximateArrivalTimestamp(new Date());
        kinesis.setKinesisSchemaVersion("1.0");
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventID("shardId-000000000000:" + sequence);
        record.setEventSourceARN("arn:aws:kinesis:us-east-1:123456789012:stream/bench");
        record.setEventSource("aws:kinesis");
        record.setAwsRegion("us-east-1");
        return record;
    }
}
