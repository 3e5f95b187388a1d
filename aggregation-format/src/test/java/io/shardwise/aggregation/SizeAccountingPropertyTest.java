package io.shardwise.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class SizeAccountingPropertyTest {

    /**
     * Feeds a stream of records through one aggregator, emitting whenever one does not fit: the
     * predicted size is always the emitted size, no record is ever over the limit, and a refusal
     * happens only when the record really would not fit.
     */
    @Property(tries = 300)
    void predictedSizeIsEmittedSizeAndNeverOverTheLimit(@ForAll("streams") List<UserRecord> records,
                                                        @ForAll @IntRange(min = 1, max = 6_000) int maxBytes,
                                                        @ForAll @IntRange(min = 1, max = 50) int maxRecords) {
        RecordAggregator aggregator = new RecordAggregator(maxBytes, maxRecords);
        int delivered = 0;
        for (UserRecord record : records) {
            int predicted = aggregator.sizeBytesWith(record.partitionKey(), record.explicitHashKey(), record.data().length);
            int countBefore = aggregator.recordCount();
            int sizeBefore = aggregator.sizeBytes();
            if (aggregator.tryAdd(record)) {
                assertThat(aggregator.sizeBytes()).isEqualTo(predicted).isLessThanOrEqualTo(maxBytes);
                continue;
            }
            assertThat(predicted > maxBytes || countBefore == maxRecords).as("refused although it fits").isTrue();
            assertThat(aggregator.recordCount()).isEqualTo(countBefore);
            assertThat(aggregator.sizeBytes()).isEqualTo(sizeBefore);
            if (!aggregator.isEmpty()) {
                delivered += emitAndCheck(aggregator, maxBytes);
            }
            int alone = aggregator.sizeBytesWith(record.partitionKey(), record.explicitHashKey(), record.data().length);
            assertThat(alone).isEqualTo(Utf8.encodedLength(record.partitionKey()) + record.data().length);
            if (aggregator.tryAdd(record)) {
                assertThat(alone).isLessThanOrEqualTo(maxBytes);
            } else {
                assertThat(alone).as("a record that fits alone is accepted by an empty aggregator").isGreaterThan(maxBytes);
                delivered++; // the caller sends it plain itself
            }
        }
        if (!aggregator.isEmpty()) {
            delivered += emitAndCheck(aggregator, maxBytes);
        }
        assertThat(delivered).isEqualTo(records.size());
    }

    private static int emitAndCheck(RecordAggregator aggregator, int maxBytes) {
        int predicted = aggregator.sizeBytes();
        int count = aggregator.recordCount();
        KinesisRecord record = aggregator.emit();
        assertThat(record.sizeBytes()).isEqualTo(predicted).isLessThanOrEqualTo(maxBytes);
        assertThat(record.userRecordCount()).isEqualTo(count);
        assertThat(record.aggregated()).isEqualTo(count > 1);
        if (record.aggregated()) {
            assertThat(record.sizeBytes()).isEqualTo(record.data().length + 1);
            Deaggregation back = Deaggregator.deaggregate("a", null, record.data(), "1", null);
            assertThat(back.records()).hasSize(count);
        }
        return count;
    }

    @Property(tries = 200)
    void utf8LengthAgreesWithJavaForAnyString(@ForAll String anyString) {
        assertThat(Utf8.encodedLength(anyString)).isEqualTo(Aggregates.utf8(anyString).length);
    }

    @Provide
    Arbitrary<List<UserRecord>> streams() {
        return Arbitraries.oneOf(
                RecordArbitraries.userRecords(3_000),
                RecordArbitraries.userRecordsFromFewKeys(200),
                // keys with unpaired surrogates too: counted as Java writes them
                net.jqwik.api.Combinators.combine(Arbitraries.strings().ofMinLength(1).ofMaxLength(20),
                        RecordArbitraries.explicitHashKeys(), RecordArbitraries.payloads(100)).as(UserRecord::new)
        ).list().ofMaxSize(150);
    }
}
