package io.shardwise.testkit.lambda;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * What one invocation of a lane delivers: the head of the lane's records, or a tumbling window's
 * final call without records. The window fields are null without a tumbling window.
 */
record EventSourceBatch(List<Record> records, boolean finalWindowInvoke, Instant windowStart, Instant windowEnd,
                        Map<String, String> state) {

    static EventSourceBatch of(List<Record> records) {
        return new EventSourceBatch(records, false, null, null, null);
    }
}
