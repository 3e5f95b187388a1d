package io.shardwise.aggregation;

import static io.shardwise.aggregation.Aggregates.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordAggregatorTest {

    @Test
    void oneRecordIsEmittedPlainUnderItsOwnKeys() {
        RecordAggregator aggregator = new RecordAggregator();
        byte[] data = utf8("hello");
        assertThat(aggregator.tryAdd("key", "42", data)).isTrue();
        assertThat(aggregator.sizeBytes()).isEqualTo(3 + 5);

        KinesisRecord record = aggregator.emit();

        assertThat(record).isEqualTo(new KinesisRecord("key", "42", data, 1, false));
        assertThat(record.data()).isSameAs(data);
        assertThat(record.sizeBytes()).isEqualTo(8);
        assertThat(aggregator.isEmpty()).isTrue();
    }

    @Test
    void writesTablesThenRecordsExactlyAsTheProtobufSchemaSays() {
        RecordAggregator aggregator = new RecordAggregator();
        aggregator.tryAdd("k1", null, new byte[] {1, 2});
        aggregator.tryAdd("k2", "5", new byte[0]);
        int expectedSize = aggregator.sizeBytes();

        KinesisRecord record = aggregator.emit();

        byte[] message = HexFormat.of().parseHex(
                "0a026b31" + "0a026b32" + "120135" // partition key table k1, k2; explicit hash key table "5"
                + "1a06" + "0800" + "1a020102" // record 0: pk index 0, data 01 02
                + "1a06" + "0801" + "1000" + "1a00"); // record 1: pk index 1, ehk index 0, empty data
        assertThat(record.data()).isEqualTo(Aggregates.frame(message));
        assertThat(record.partitionKey()).isEqualTo("a");
        assertThat(record.explicitHashKey()).isEqualTo(HashKeys.ofPartitionKey("k1").toString());
        assertThat(record.userRecordCount()).isEqualTo(2);
        assertThat(record.aggregated()).isTrue();
        assertThat(record.sizeBytes()).isEqualTo(expectedSize).isEqualTo(record.data().length + 1);
    }

    @Test
    void outerExplicitHashKeyIsTheFirstRecordsExplicitHashKey() {
        KinesisRecord record = Aggregates.aggregate(List.of(
                new UserRecord("x", "123", new byte[1]), new UserRecord("y", null, new byte[1])));
        assertThat(record.explicitHashKey()).isEqualTo("123");
    }

    @Test
    void deduplicatesKeysInTheTables() {
        RecordAggregator aggregator = new RecordAggregator();
        aggregator.tryAdd("same", "7", new byte[] {1});
        int sizeAfterOne = aggregator.sizeBytesWith("same", "7", 1);
        aggregator.tryAdd("same", "7", new byte[] {2});
        aggregator.tryAdd("same", "7", new byte[] {3});
        int size = aggregator.sizeBytes();

        byte[] message = Aggregates.message(aggregator.emit().data());

        // tables: "same" once, "7" once; three records of 1+1+1+1 (pk) +2 (ehk) +3 (data) bytes
        assertThat(message).hasSize((2 + 4) + (2 + 1) + 3 * (2 + 2 + 2 + 3));
        assertThat(size).isEqualTo(message.length + 20 + 1);
        assertThat(sizeAfterOne).isEqualTo((2 + 4) + (2 + 1) + 2 * (2 + 2 + 2 + 3) + 21);
    }

    @Test
    void refusesARecordThatWouldCrossMaxBytesAndStaysUnchanged() {
        int maxBytes = 200;
        RecordAggregator aggregator = new RecordAggregator(maxBytes, 1000);
        int added = 0;
        while (aggregator.tryAdd("key-" + added, null, new byte[10])) {
            added++;
            assertThat(aggregator.sizeBytes()).isLessThanOrEqualTo(maxBytes);
        }
        int sizeBefore = aggregator.sizeBytes();
        assertThat(aggregator.sizeBytesWith("key-" + added, null, 10)).isGreaterThan(maxBytes);
        assertThat(aggregator.recordCount()).isEqualTo(added);
        assertThat(aggregator.sizeBytes()).isEqualTo(sizeBefore);

        KinesisRecord record = aggregator.emit();

        assertThat(record.sizeBytes()).isEqualTo(sizeBefore).isLessThanOrEqualTo(maxBytes);
        assertThat(record.userRecordCount()).isEqualTo(added);
    }

    @Test
    void anEmptyAggregatorAcceptsAnyRecordWhosePlainFormFits() {
        RecordAggregator aggregator = new RecordAggregator(100, 10);
        assertThat(aggregator.tryAdd("k", null, new byte[99])).isTrue();
        assertThat(aggregator.sizeBytes()).isEqualTo(100);
        assertThat(aggregator.tryAdd("k", null, new byte[0])).isFalse();
        assertThat(aggregator.emit().aggregated()).isFalse();
    }

    @Test
    void aRecordThatNeverFitsIsRefusedEvenWhenEmpty() {
        RecordAggregator aggregator = new RecordAggregator(100, 10);
        assertThat(aggregator.tryAdd("k", null, new byte[100])).isFalse();
        assertThat(aggregator.isEmpty()).isTrue();
        assertThat(aggregator.sizeBytesWith("k", null, 100)).isEqualTo(101);
    }

    @Test
    void honoursMaxRecords() {
        RecordAggregator aggregator = new RecordAggregator(RecordAggregator.DEFAULT_MAX_BYTES, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(aggregator.tryAdd("k" + i, null, new byte[1])).isTrue();
        }
        assertThat(aggregator.tryAdd("k3", null, new byte[1])).isFalse();
        assertThat(aggregator.emit().userRecordCount()).isEqualTo(3);
    }

    @Test
    void isReusableAfterEmit() {
        RecordAggregator aggregator = new RecordAggregator();
        aggregator.tryAdd("a1", null, new byte[] {1});
        aggregator.tryAdd("a2", null, new byte[] {2});
        KinesisRecord first = aggregator.emit();
        aggregator.tryAdd("a1", null, new byte[] {1});
        aggregator.tryAdd("a2", null, new byte[] {2});
        assertThat(aggregator.emit()).isEqualTo(first);
        assertThat(aggregator.sizeBytes()).isZero();
    }

    @Test
    void everyEmittedAggregateOwnsItsBytesWhetherSmallOrLarge() {
        for (int dataBytes : new int[] {10, 40_000, 200_000}) {
            RecordAggregator first = new RecordAggregator(1024 * 1024, 1000);
            RecordAggregator second = new RecordAggregator(1024 * 1024, 1000);
            first.tryAdd("a", null, filled(dataBytes, (byte) 1));
            first.tryAdd("b", null, filled(dataBytes, (byte) 2));
            KinesisRecord a = first.emit();
            byte[] copyOfA = a.data().clone();
            second.tryAdd("c", null, filled(dataBytes, (byte) 3));
            second.tryAdd("d", null, filled(dataBytes, (byte) 4));
            KinesisRecord b = second.emit();

            assertThat(a.data()).as("aggregate of two %d-byte records", dataBytes).isNotSameAs(b.data())
                    .isEqualTo(copyOfA);
            assertThat(Deaggregator.deaggregate(a.partitionKey(), a.explicitHashKey(), a.data(), "1", null)
                    .records()).extracting(DeaggregatedRecord::partitionKey).containsExactly("a", "b");
        }
    }

    private static byte[] filled(int length, byte value) {
        byte[] data = new byte[length];
        Arrays.fill(data, value);
        return data;
    }

    @Test
    void emittingNothingIsAnError() {
        assertThatThrownBy(() -> new RecordAggregator().emit())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("empty");
    }

    @Test
    void rejectsAnInvalidExplicitHashKeyWithoutChange() {
        RecordAggregator aggregator = new RecordAggregator();
        aggregator.tryAdd("k", null, new byte[1]);
        assertThatThrownBy(() -> aggregator.tryAdd("k", "-5", new byte[1]))
                .isInstanceOf(InvalidHashKeyException.class).hasMessageContaining("'-5'");
        assertThat(aggregator.recordCount()).isEqualTo(1);
    }

    @Test
    void rejectsLimitsOutOfRangeNamingValueAndLimit() {
        assertThatThrownBy(() -> new RecordAggregator(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes 0").hasMessageContaining("10485760");
        assertThatThrownBy(() -> new RecordAggregator(RecordAggregator.MAX_BYTES_LIMIT + 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10485761");
        assertThatThrownBy(() -> new RecordAggregator(100, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecords 0");
    }

    @Test
    void aRecordThatDoesNotFitLeavesTheAggregateAsItWas() {
        RecordAggregator aggregator = new RecordAggregator(200, Integer.MAX_VALUE);
        assertThat(aggregator.tryAdd("k1", null, new byte[50])).isTrue();
        assertThat(aggregator.tryAdd("k2", "7", new byte[50])).isTrue();
        int size = aggregator.sizeBytes();
        // new keys that are encoded into their tables and then taken back
        assertThat(aggregator.tryAdd("k3", "8", new byte[150])).isFalse();
        assertThat(aggregator.tryAdd("x".repeat(150), null, new byte[0])).isFalse();
        assertThat(aggregator.tryAdd("y".repeat(1_000), null, new byte[0])).isFalse(); // longer than maxBytes
        assertThat(aggregator.sizeBytes()).isEqualTo(size);
        assertThat(aggregator.tryAdd("k3", "8", new byte[10])).isTrue();
        KinesisRecord record = aggregator.emit();
        assertThat(Deaggregator.deaggregate(record.partitionKey(), record.explicitHashKey(), record.data(), "1", null)
                .records()).extracting(DeaggregatedRecord::partitionKey, DeaggregatedRecord::explicitHashKey)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("k1", null),
                        org.assertj.core.groups.Tuple.tuple("k2", "7"), org.assertj.core.groups.Tuple.tuple("k3", "8"));
    }

    @Test
    void countsUnpairedSurrogatesAsTheOneByteJavaWrites() {
        RecordAggregator aggregator = new RecordAggregator();
        String broken = "x\uD800y\uDC00";
        String pair = "\uD83D\uDE00";
        aggregator.tryAdd(broken, null, new byte[3]);
        aggregator.tryAdd(pair, null, new byte[3]);
        int size = aggregator.sizeBytes();
        assertThat(aggregator.emit().sizeBytes()).isEqualTo(size);
        assertThat(Utf8.encodedLength(broken)).isEqualTo(utf8(broken).length).isEqualTo(4);
        assertThat(Utf8.encodedLength(pair)).isEqualTo(4);
    }

    @Test
    void valueRecordsCompareDataByContentAndHideItInToString() {
        UserRecord a = new UserRecord("k", null, new byte[] {1, 2});
        UserRecord b = new UserRecord("k", null, new byte[] {1, 2});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).contains("2 bytes").doesNotContain("[B@");
    }
}
