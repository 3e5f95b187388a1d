package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

class ReadStartTest {
    private static final Instant TIME = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void aCheckpointIsReadAtItsSequenceNumberAndWhatWasReadAfterIt() {
        ReadStart start = new ReadStart("shardId-1", Checkpoint.at("42", 3), TIME);

        assertThat(start.iteratorType(null)).isEqualTo(ShardIteratorType.AT_SEQUENCE_NUMBER);
        assertThat(start.sequenceNumber(null)).isEqualTo("42");
        assertThat(start.timestamp(null)).isNull();
        assertThat(start.iteratorType("57")).isEqualTo(ShardIteratorType.AFTER_SEQUENCE_NUMBER);
        assertThat(start.sequenceNumber("57")).isEqualTo("57");
    }

    @Test
    void aLeaseWithoutACheckpointStartsAtTheInitialPosition() {
        assertThat(new ReadStart("s", Checkpoint.TRIM_HORIZON, null).iteratorType(null))
                .isEqualTo(ShardIteratorType.TRIM_HORIZON);
        assertThat(new ReadStart("s", Checkpoint.LATEST, null).iteratorType(null)).isEqualTo(ShardIteratorType.LATEST);

        ReadStart atTime = new ReadStart("s", Checkpoint.AT_TIMESTAMP, TIME);
        assertThat(atTime.iteratorType(null)).isEqualTo(ShardIteratorType.AT_TIMESTAMP);
        assertThat(atTime.timestamp(null)).isEqualTo(TIME);
        assertThat(atTime.sequenceNumber(null)).isNull();
        assertThat(atTime.timestamp("9")).isNull();
    }
}
