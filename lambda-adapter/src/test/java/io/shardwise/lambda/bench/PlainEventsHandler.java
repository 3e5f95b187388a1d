package io.shardwise.lambda.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.List;

/** The baseline: a handler on aws-lambda-java-events alone, no deaggregation, no Shardwise. */
public final class PlainEventsHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    static long bytes;

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        for (KinesisEvent.KinesisEventRecord record : event.getRecords()) {
            bytes += record.getKinesis().getData().remaining();
        }
        return new StreamsEventResponse(List.of());
    }
}
