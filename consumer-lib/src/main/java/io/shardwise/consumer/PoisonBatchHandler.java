package io.shardwise.consumer;

import java.util.List;

/** Receives a batch that failed every attempt (policy {@link FailurePolicy#POISON_HANDLER}), e.g. to park it. */
@FunctionalInterface
public interface PoisonBatchHandler {
    void onPoisonBatch(String shardId, List<ConsumerRecord> records, Exception lastFailure);
}
