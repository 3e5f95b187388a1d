package io.shardwise.lambda.bench;

import com.amazonaws.services.lambda.runtime.Context;
import io.shardwise.lambda.KinesisBatchHandler;
import io.shardwise.lambda.KinesisUserRecord;

/** The smallest useful Shardwise handler: deaggregates and counts bytes. The cold-start subject. */
public final class MinimalHandler extends KinesisBatchHandler {

    static long bytes;

    @Override
    protected void handleRecord(KinesisUserRecord record, Context context) {
        bytes += record.data().length;
    }
}
