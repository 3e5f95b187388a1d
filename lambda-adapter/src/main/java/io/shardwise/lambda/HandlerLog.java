package io.shardwise.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import io.shardwise.kinesis.JsonText;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Writes to the function's log through Lambda's own logger (no logging framework: cold starts).
 * A failed record is always logged with its exception, since the response only carries a
 * sequence number: an error must never vanish into a batch item failure.
 */
final class HandlerLog {

    private HandlerLog() {
    }

    static void recordFailed(Context context, KinesisUserRecord record, Exception error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        logger(context).log("shardwise: " + record + " failed; reporting its parent sequence number "
                + record.sequenceNumber() + " as a batch item failure\n" + trace);
    }

    static void warn(Context context, String message, Exception error) {
        logger(context).log("shardwise: " + message + ": " + error + "\n");
    }

    static void info(Context context, String message) {
        logger(context).log("shardwise: " + message + "\n");
    }

    /**
     * One line for sub-records dropped outside their shard's hash range, in CloudWatch's embedded
     * metric format: the log line is also the metric {@code Shardwise/OutsideShardRangeDropped}
     * (dimension {@code FunctionName} when known). No payloads, only counts and positions.
     */
    static void droppedOutsideShardRange(Context context, String eventSourceArn, String shardId, int dropped,
                                         int aggregates, long timestampMillis) {
        String function = context == null ? null : context.getFunctionName();
        StringBuilder line = new StringBuilder(400);
        line.append("{\"_aws\":{\"Timestamp\":").append(timestampMillis)
            .append(",\"CloudWatchMetrics\":[{\"Namespace\":\"Shardwise\",\"Dimensions\":[")
            .append(function == null ? "[]" : "[\"FunctionName\"]")
            .append("],\"Metrics\":[{\"Name\":\"OutsideShardRangeDropped\",\"Unit\":\"Count\"}]}]}");
        if (function != null) {
            JsonText.quote(line.append(",\"FunctionName\":"), function);
        }
        line.append(",\"OutsideShardRangeDropped\":").append(dropped).append(",\"eventSourceArn\":");
        JsonText.quote(line, String.valueOf(eventSourceArn)).append(",\"shardId\":");
        JsonText.quote(line, shardId).append(",\"message\":");
        JsonText.quote(line, "shardwise: dropped " + dropped + " sub-records of " + aggregates
                + " aggregates outside the hash key range of " + shardId
                + " (a producer's stale shard map; the KPL sends them again to their shard)").append("}\n");
        logger(context).log(line.toString());
    }

    private static LambdaLogger logger(Context context) {
        return context != null && context.getLogger() != null ? context.getLogger() : LambdaRuntime.getLogger();
    }
}
