package io.shardwise.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
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

    private static LambdaLogger logger(Context context) {
        return context != null && context.getLogger() != null ? context.getLogger() : LambdaRuntime.getLogger();
    }
}
