package io.shardwise.aggregation;

import static io.shardwise.aggregation.Aggregates.utf8;
import static io.shardwise.aggregation.MessageBuilder.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeaggregatorTest {

    private static final String SEQ = "49590338271490256608559692538361571095921575989136588898";

    @Test
    void unpacksEveryRecordWithKeysSequenceAndSubSequenceNumbers() {
        List<UserRecord> input = List.of(
                new UserRecord("k1", null, utf8("one")),
                new UserRecord("k2", "99", utf8("two")),
                new UserRecord("k1", null, new byte[0]));
        KinesisRecord aggregate = Aggregates.aggregate(input);

        Deaggregation result = Deaggregator.deaggregate("a", aggregate.explicitHashKey(), aggregate.data(), SEQ, null);

        assertThat(result.aggregated()).isTrue();
        assertThat(result.reason()).isNull();
        assertThat(result.detail()).isNull();
        assertThat(result.outsideShardRangeCount()).isZero();
        assertThat(result.records()).containsExactly(
                new DeaggregatedRecord("k1", null, utf8("one"), SEQ, 0, true, false),
                new DeaggregatedRecord("k2", "99", utf8("two"), SEQ, 1, true, false),
                new DeaggregatedRecord("k1", null, new byte[0], SEQ, 2, true, false));
    }

    @Test
    void plainRecordPassesThroughUnchanged() {
        byte[] data = utf8("just data");
        Deaggregation result = Deaggregator.deaggregate("pk", "5", data, SEQ, HashKeyRange.of("0", "1"));

        assertPassthrough(result, PassthroughReason.NOT_AGGREGATED, data);
        assertThat(result.records().get(0).partitionKey()).isEqualTo("pk");
        assertThat(result.records().get(0).explicitHashKey()).isEqualTo("5");
        assertThat(result.records().get(0).data()).isSameAs(data);
        assertThat(result.records().get(0).outsideShardRange()).isFalse();
    }

    @Test
    void emptyNullAndPartialMagicAreNotAggregated() {
        assertPassthrough(Deaggregator.deaggregate("pk", null, new byte[0], SEQ, null),
                PassthroughReason.NOT_AGGREGATED, new byte[0]);
        assertPassthrough(Deaggregator.deaggregate("pk", null, null, SEQ, null),
                PassthroughReason.NOT_AGGREGATED, new byte[0]);
        byte[] partialMagic = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A};
        assertPassthrough(Deaggregator.deaggregate("pk", null, partialMagic, SEQ, null),
                PassthroughReason.NOT_AGGREGATED, partialMagic);
    }

    @Test
    void magicWithoutRoomForAChecksumIsTooShort() {
        for (int length = 4; length < 20; length++) {
            byte[] data = new byte[length];
            System.arraycopy(AggregateFormat.MAGIC, 0, data, 0, 4);
            Deaggregation result = Deaggregator.deaggregate("pk", null, data, SEQ, null);
            assertPassthrough(result, PassthroughReason.TOO_SHORT, data);
            assertThat(result.detail()).contains(length + " bytes").contains("20");
        }
    }

    @Test
    void aFlippedBitAnywhereAfterTheMagicIsABadChecksum() {
        byte[] valid = Aggregates.aggregate(List.of(
                new UserRecord("k1", null, utf8("one")), new UserRecord("k2", null, utf8("two")))).data();
        for (int i = 4; i < valid.length; i++) {
            byte[] corrupt = valid.clone();
            corrupt[i] ^= 0x10;
            assertPassthrough(Deaggregator.deaggregate("a", null, corrupt, SEQ, null),
                    PassthroughReason.BAD_CHECKSUM, corrupt);
        }
    }

    @Test
    void garbageWithAValidChecksumIsUnparseable() {
        assertUnparseable(new MessageBuilder().raw(0xFF, 0xFF, 0xFF).framed(), "malformed protobuf");
    }

    @Test
    void aDeclaredLengthBeyondTheInputIsRejectedBeforeAllocating() {
        assertUnparseable(new MessageBuilder().raw(0x0A).rawVarint(Integer.MAX_VALUE).raw('x').framed(),
                "declared length 2147483647 exceeds the 1 bytes left");
        assertUnparseable(new MessageBuilder().raw(0x1A).rawVarint(0xFFFFFFFFL).framed(), "exceeds");
        byte[] recordWithHugeData = new MessageBuilder().varint(1, 0).raw(0x1A).rawVarint(1 << 30).build();
        assertUnparseable(new MessageBuilder().string(1, "k").bytes(3, recordWithHugeData).framed(),
                "declared length 1073741824 exceeds the 0 bytes left");
    }

    @Test
    void aPartitionKeyIndexOutsideTheTableIsUnparseable() {
        byte[] message = new MessageBuilder().string(1, "k")
                .message(3, record(0, null, new byte[1]))
                .message(3, record(1, null, new byte[1])).framed();
        assertUnparseable(message, "user record 1 has partition key index 1 outside the table of 1");
    }

    @Test
    void anExplicitHashKeyIndexOutsideTheTableIsUnparseable() {
        byte[] message = new MessageBuilder().string(1, "k").string(2, "5")
                .message(3, record(0, 0L, new byte[1]))
                .message(3, record(0, 3L, new byte[1])).framed();
        assertUnparseable(message, "explicit hash key index 3 outside the table of 1");
    }

    @Test
    void anIndexBeyondLongRangeIsUnparseable() {
        byte[] message = new MessageBuilder().string(1, "k")
                .message(3, record(-1L, null, new byte[1])).framed();
        assertUnparseable(message, "index 18446744073709551615, beyond any table");
    }

    @Test
    void missingRequiredFieldsAreUnparseable() {
        byte[] noIndex = new MessageBuilder().string(1, "k")
                .message(3, new MessageBuilder().bytes(3, new byte[1])).framed();
        assertUnparseable(noIndex, "user record 0 lacks its required partition_key_index");
        byte[] noData = new MessageBuilder().string(1, "k")
                .message(3, record(0, null, new byte[0]))
                .message(3, new MessageBuilder().varint(1, 0)).framed();
        assertUnparseable(noData, "user record 1 lacks its required data");
    }

    @Test
    void anAggregateWithoutUserRecordsPassesThrough() {
        assertUnparseable(new MessageBuilder().string(1, "k").framed(), "without user records");
        assertUnparseable(Aggregates.frame(new byte[0]), "without user records");
    }

    @Test
    void malformedGroupsAndWireTypesAreUnparseable() {
        assertUnparseable(new MessageBuilder().raw(0x4B).framed(), "group of field 9 never ends");
        assertUnparseable(new MessageBuilder().raw(0x4C).framed(), "end-group tag of field 9 without a start");
        assertUnparseable(new MessageBuilder().raw(0x4B, 0x54).framed(), "end-group of field 10 closes a group of field 9");
        assertUnparseable(new MessageBuilder().raw(0x4E, 0x00).framed(), "malformed protobuf");
        assertUnparseable(new MessageBuilder().raw(0x4F, 0x00).framed(), "malformed protobuf");
        assertUnparseable(new MessageBuilder().raw(0x00).framed(), "malformed protobuf");
        int[] deep = new int[10_000];
        java.util.Arrays.fill(deep, 0x4B);
        assertUnparseable(new MessageBuilder().raw(deep).framed(), "nested deeper than 100");
    }

    @Test
    void tagsUnknownFieldsAndGroupsAreSkipped() {
        MessageBuilder tag = new MessageBuilder().string(1, "tag-key").string(2, "tag-value");
        MessageBuilder userRecord = record(0, null, utf8("payload"))
                .message(4, tag)
                .varint(15, 7).fixed32(16, 1).fixed64(17, 2)
                .raw(0x9B, 0x01, 0x08, 0x01, 0x9C, 0x01); // group field 19 { field 1 = 1 }
        byte[] message = new MessageBuilder()
                .varint(9, 12345)
                .raw(0x53, 0x5B, 0x08, 0x01, 0x5C, 0x54) // group field 10 { group field 11 { field 1 = 1 } }
                .message(3, userRecord)
                .bytes(12, new byte[] {1, 2, 3})
                .string(1, "late-key") // a table entry after the records is still a table entry
                .message(3, record(0, null, utf8("second")))
                .framed();

        Deaggregation result = Deaggregator.deaggregate("a", null, message, SEQ, null);

        assertThat(result.aggregated()).as(result.detail()).isTrue();
        assertThat(result.records()).extracting(DeaggregatedRecord::partitionKey).containsExactly("late-key", "late-key");
        assertThat(result.records().get(0).data()).isEqualTo(utf8("payload"));
        assertThat(result.records().get(1).data()).isEqualTo(utf8("second"));
    }

    @Test
    void aKnownFieldWithTheWrongWireTypeIsSkippedAsUnknown() {
        byte[] message = new MessageBuilder()
                .varint(1, 5) // partition_key_table as a varint: not a string, so skipped
                .string(1, "k")
                .message(3, new MessageBuilder().string(1, "x").varint(1, 0).bytes(3, new byte[] {9}))
                .message(3, record(0, null, new byte[] {8}))
                .framed();
        Deaggregation result = Deaggregator.deaggregate("a", null, message, SEQ, null);
        assertThat(result.aggregated()).as(result.detail()).isTrue();
        assertThat(result.records()).hasSize(2);
    }

    @Test
    void subRecordsOutsideTheShardRangeAreFlaggedNotDropped() {
        BigInteger half = HashKeys.MAX.shiftRight(1);
        HashKeyRange lowerHalf = new HashKeyRange(BigInteger.ZERO, half);
        KinesisRecord aggregate = Aggregates.aggregate(List.of(
                new UserRecord("x", "0", utf8("in")),
                new UserRecord("y", HashKeys.MAX.toString(), utf8("out")),
                new UserRecord("z", half.toString(), utf8("edge")),
                new UserRecord("w", half.add(BigInteger.ONE).toString(), utf8("just out"))));

        Deaggregation result = Deaggregator.deaggregate("a", "0", aggregate.data(), SEQ, lowerHalf);

        assertThat(result.aggregated()).isTrue();
        assertThat(result.records()).extracting(DeaggregatedRecord::outsideShardRange)
                .containsExactly(false, true, false, true);
        assertThat(result.outsideShardRangeCount()).isEqualTo(2);
    }

    @Test
    void partitionKeyHashesDecideTheRangeWhenThereIsNoExplicitHashKey() {
        List<String> keys = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta");
        HashKeyRange firstKeysShard = new HashKeyRange(HashKeys.ofPartitionKey("alpha"), HashKeys.ofPartitionKey("alpha"));
        KinesisRecord aggregate = Aggregates.aggregate(keys.stream().map(k -> new UserRecord(k, null, utf8(k))).toList());

        Deaggregation result = Deaggregator.deaggregate("a", null, aggregate.data(), SEQ, firstKeysShard);

        assertThat(result.records()).hasSize(6);
        assertThat(result.records()).extracting(DeaggregatedRecord::outsideShardRange)
                .containsExactly(false, true, true, true, true, true);
        assertThat(result.outsideShardRangeCount()).isEqualTo(5);
    }

    @Test
    void anInvalidExplicitHashKeyInsideAnAggregateIsDeliveredAndFlagged() {
        byte[] message = new MessageBuilder().string(1, "k").string(2, "not-a-number")
                .message(3, record(0, 0L, new byte[1]))
                .message(3, record(0, null, new byte[1])).framed();
        HashKeyRange everything = new HashKeyRange(BigInteger.ZERO, HashKeys.MAX);

        Deaggregation result = Deaggregator.deaggregate("a", null, message, SEQ, everything);

        assertThat(result.records()).extracting(DeaggregatedRecord::explicitHashKey).containsExactly("not-a-number", null);
        assertThat(result.records()).extracting(DeaggregatedRecord::outsideShardRange).containsExactly(true, false);
    }

    private static void assertUnparseable(byte[] data, String detail) {
        Deaggregation result = Deaggregator.deaggregate("a", "1", data, SEQ, null);
        assertPassthrough(result, PassthroughReason.UNPARSEABLE, data);
        assertThat(result.detail()).contains(detail);
    }

    private static void assertPassthrough(Deaggregation result, PassthroughReason reason, byte[] data) {
        assertThat(result.aggregated()).isFalse();
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(result.detail()).isNotBlank();
        assertThat(result.outsideShardRangeCount()).isZero();
        assertThat(result.records()).hasSize(1);
        DeaggregatedRecord record = result.records().get(0);
        assertThat(record.data()).isEqualTo(data);
        assertThat(record.sequenceNumber()).isEqualTo(SEQ);
        assertThat(record.subSequenceNumber()).isZero();
        assertThat(record.aggregated()).isFalse();
    }
}
