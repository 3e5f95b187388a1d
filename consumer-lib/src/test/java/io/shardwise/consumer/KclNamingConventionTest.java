package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import org.junit.jupiter.api.Test;

/** The names a CloudWatch registry builds (meter name, a dot, a statistic) turned back into the KCL's. */
class KclNamingConventionTest {
    private final NamingConvention convention = new KclNamingConvention(NamingConvention.identity);

    @Test
    void eachKclMetricGetsItsBareNameForTheStatisticItsDashboardsRead() {
        assertThat(convention.name("RecordsProcessed.count", Meter.Type.COUNTER, "count")).isEqualTo("RecordsProcessed");
        assertThat(convention.name("CurrentLeases.value", Meter.Type.GAUGE, "count")).isEqualTo("CurrentLeases");
        assertThat(convention.name("DataBytesProcessed.sum", Meter.Type.DISTRIBUTION_SUMMARY, "bytes"))
                .isEqualTo("DataBytesProcessed");
        assertThat(convention.name("MillisBehindLatest.avg", Meter.Type.TIMER, null)).isEqualTo("MillisBehindLatest");
        assertThat(convention.name("MillisBehindLatest.max", Meter.Type.TIMER, null)).isEqualTo("MillisBehindLatest.max");
    }

    @Test
    void dottedNamesGoToTheDelegate() {
        assertThat(convention.name("shardwise.consumer.records.processed.count", Meter.Type.COUNTER, null))
                .isEqualTo("shardwise.consumer.records.processed.count");
    }
}
