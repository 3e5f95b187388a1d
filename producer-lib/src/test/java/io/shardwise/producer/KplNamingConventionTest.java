package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import org.junit.jupiter.api.Test;

/** The names a CloudWatch registry builds (meter name, a dot, a statistic) turned back into the KPL's. */
class KplNamingConventionTest {
    private final NamingConvention convention = new KplNamingConvention(NamingConvention.snakeCase);

    @Test
    void countersAndGaugesKeepTheBareKplName() {
        assertThat(convention.name("UserRecordsPut.count", Meter.Type.COUNTER, "count")).isEqualTo("UserRecordsPut");
        assertThat(convention.name("UserRecordsPending.value", Meter.Type.GAUGE, "count")).isEqualTo("UserRecordsPending");
    }

    @Test
    void aTimesOrRatiosAverageHasTheBareNameAndItsOtherStatisticsKeepTheirSuffix() {
        assertThat(convention.name("BufferingTime.avg", Meter.Type.TIMER, null)).isEqualTo("BufferingTime");
        assertThat(convention.name("BufferingTime.max", Meter.Type.TIMER, null)).isEqualTo("BufferingTime.max");
        assertThat(convention.name("RetriesPerRecord.avg", Meter.Type.DISTRIBUTION_SUMMARY, "count"))
                .isEqualTo("RetriesPerRecord");
    }

    @Test
    void aSizeInBytesHasItsTotalUnderTheBareName() {
        assertThat(convention.name("UserRecordsDataPut.sum", Meter.Type.DISTRIBUTION_SUMMARY, "bytes"))
                .isEqualTo("UserRecordsDataPut");
        assertThat(convention.name("UserRecordsDataPut.avg", Meter.Type.DISTRIBUTION_SUMMARY, "bytes"))
                .isEqualTo("UserRecordsDataPut.avg");
    }

    @Test
    void dottedNamesAndTagsGoToTheDelegate() {
        assertThat(convention.name("shardwise.producer.retries.count", Meter.Type.COUNTER, null))
                .isEqualTo("shardwise_producer_retries_count");
        assertThat(convention.tagKey("StreamName")).isEqualTo(NamingConvention.snakeCase.tagKey("StreamName"));
    }
}
