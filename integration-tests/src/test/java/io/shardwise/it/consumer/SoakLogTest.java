package io.shardwise.it.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.consumer.Checkpoint;
import org.junit.jupiter.api.Test;

class SoakLogTest {

    @Test
    void everyLineAWorkerPrintsReadsBackAsItsEvent() {
        assertThat(SoakLog.parse(SoakLog.delivery("w1-2", "w1-2/3", "shardId-1", "4960", 2, "key-7:123", 17L)))
                .isEqualTo(new SoakEvent.Delivery("w1-2", "w1-2/3", "shardId-1", "4960", 2, "key-7", 123, 17L));
        assertThat(SoakLog.parse(SoakLog.checkpoint("w1-2", "w1-2/3", "shardId-1", Checkpoint.SHARD_END, 18L)))
                .isEqualTo(new SoakEvent.Checkpointed("w1-2", "w1-2/3", "shardId-1", "SHARD_END", 0, 18L));
        assertThat(SoakLog.parse(SoakLog.leaseLost("w1-2", "w1-2/3", "shardId-1", 19L)))
                .isEqualTo(new SoakEvent.LeaseLost("w1-2", "w1-2/3", "shardId-1", 19L));
        assertThat(SoakLog.parse(SoakLog.checkpointFailed("w1-2", "w1-2/3", "shardId-1", true,
                new IllegalStateException("table\nunreachable"), 20L)))
                .isEqualTo(new SoakEvent.CheckpointFailed("w1-2", "w1-2/3", "shardId-1", true,
                        "java.lang.IllegalStateException: table unreachable", 20L));
    }

    @Test
    void logOutputAndATruncatedLastLineAreNoEvents() {
        assertThat(SoakLog.parse("08:49:06.783 [main] INFO io.shardwise.consumer.ShardwiseConsumer - started")).isNull();
        assertThat(SoakLog.parse("D w1-2 w1-2/3 shardId-1 4960")).isNull();
    }
}
