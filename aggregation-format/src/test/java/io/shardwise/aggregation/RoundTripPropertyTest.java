package io.shardwise.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class RoundTripPropertyTest {

    @Property(tries = 300)
    void everyRecordComesBackByteForByteInOrder(@ForAll("batches") List<UserRecord> records) {
        KinesisRecord aggregate = Aggregates.aggregate(records);
        assertThat(aggregate.aggregated()).isTrue();
        assertThat(aggregate.partitionKey()).isEqualTo("a");
        UserRecord first = records.get(0);
        assertThat(aggregate.explicitHashKey())
                .isEqualTo(HashKeys.effective(first.partitionKey(), first.explicitHashKey()).toString());

        Deaggregation result = Deaggregator.deaggregate("a", aggregate.explicitHashKey(), aggregate.data(), "7",
                new HashKeyRange(BigInteger.ZERO, HashKeys.MAX));

        assertThat(result.aggregated()).as(result.detail()).isTrue();
        assertThat(result.outsideShardRangeCount()).isZero();
        List<UserRecord> back = new ArrayList<>();
        for (int i = 0; i < result.records().size(); i++) {
            DeaggregatedRecord r = result.records().get(i);
            assertThat(r.subSequenceNumber()).isEqualTo(i);
            assertThat(r.sequenceNumber()).isEqualTo("7");
            back.add(new UserRecord(r.partitionKey(), r.explicitHashKey(), r.data()));
        }
        assertThat(back).containsExactlyElementsOf(records);
        assertThat(SchemaOracle.expectedRecords(Aggregates.message(aggregate.data()))).containsExactlyElementsOf(records);
    }

    @Property(tries = 200)
    void aSingleRecordIsSentPlainAndPassesThroughUnchanged(@ForAll("records") UserRecord record) {
        RecordAggregator aggregator = new RecordAggregator();
        assertThat(aggregator.tryAdd(record)).isTrue();
        KinesisRecord plain = aggregator.emit();
        assertThat(plain).isEqualTo(new KinesisRecord(record.partitionKey(), record.explicitHashKey(), record.data(), 1, false));

        Deaggregation result = Deaggregator.deaggregate(plain.partitionKey(), plain.explicitHashKey(), plain.data(), "7", null);

        assertThat(result.aggregated()).isFalse();
        assertThat(result.reason()).isIn(PassthroughReason.NOT_AGGREGATED, PassthroughReason.TOO_SHORT,
                PassthroughReason.BAD_CHECKSUM, PassthroughReason.UNPARSEABLE);
        DeaggregatedRecord only = result.records().get(0);
        assertThat(new UserRecord(only.partitionKey(), only.explicitHashKey(), only.data())).isEqualTo(record);
    }

    @Property(tries = 100)
    void recordsNearTheSizeLimitRoundTrip(@ForAll @IntRange(min = 2_200, max = 60_000) int maxBytes,
                                          @ForAll("records") UserRecord seed) {
        RecordAggregator aggregator = new RecordAggregator(maxBytes, Integer.MAX_VALUE);
        String key = seed.partitionKey();
        // the first record takes about half the room (keys are at most 1,024 UTF-8 bytes),
        // the second the largest payload that still fits
        int first = maxBytes / 2 - Utf8.encodedLength(key);
        assertThat(aggregator.tryAdd(key, seed.explicitHashKey(), new byte[first])).isTrue();
        int low = -1;
        int high = maxBytes; // sizeBytesWith grows with the payload: binary search the last fitting size
        while (high - low > 1) {
            int middle = (low + high) >>> 1;
            if (aggregator.sizeBytesWith(key, null, middle) <= maxBytes) {
                low = middle;
            } else {
                high = middle;
            }
        }
        if (low < 0) {
            // the first record's plain form fits, but no aggregate of two does
            assertThat(aggregator.tryAdd(key, null, new byte[0])).isFalse();
            assertThat(aggregator.recordCount()).isEqualTo(1);
            return;
        }
        byte[] second = new byte[low];
        Arrays.fill(second, (byte) 7);
        assertThat(aggregator.tryAdd(key, null, new byte[low + 1])).isFalse();
        assertThat(aggregator.tryAdd(key, null, second)).isTrue();
        assertThat(aggregator.tryAdd(key, null, new byte[0])).as("full").isFalse();
        int size = aggregator.sizeBytes();
        KinesisRecord record = aggregator.emit();
        assertThat(record.sizeBytes()).isEqualTo(size).isLessThanOrEqualTo(maxBytes).isGreaterThan(maxBytes - 4);

        Deaggregation result = Deaggregator.deaggregate("a", null, record.data(), "1", null);
        assertThat(result.records()).extracting(DeaggregatedRecord::data).containsExactly(new byte[first], second);
    }

    @Provide
    Arbitrary<List<UserRecord>> batches() {
        return Arbitraries.oneOf(
                RecordArbitraries.userRecords(2_000).list().ofMinSize(2).ofMaxSize(40),
                RecordArbitraries.userRecordsFromFewKeys(300).list().ofMinSize(2).ofMaxSize(200));
    }

    @Provide
    Arbitrary<UserRecord> records() {
        return RecordArbitraries.userRecords(5_000);
    }
}
