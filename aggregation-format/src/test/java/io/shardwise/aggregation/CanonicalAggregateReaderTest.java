package io.shardwise.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The fast path reads the KPL layout; every other layout goes to the general parser with the same result. */
class CanonicalAggregateReaderTest {

    @Property(tries = 300)
    void bothLayoutsGiveTheSameRecordsAsWereAggregated(@ForAll("records") List<UserRecord> records) {
        byte[] tablesFirst = Aggregates.frame(message(records, true));
        byte[] recordsFirst = Aggregates.frame(message(records, false));

        assertThat(read(tablesFirst)).as("the fast path takes the KPL layout").isNotNull();
        assertThat(read(recordsFirst)).as("tables after records are not its layout").isNull();

        Deaggregation fast = Deaggregator.deaggregate("a", null, tablesFirst, "49", null);
        Deaggregation general = Deaggregator.deaggregate("a", null, recordsFirst, "49", null);
        assertThat(fast).isEqualTo(general);
        assertThat(fast.aggregated()).isTrue();
        assertThat(fast.records()).hasSize(records.size());
        for (int i = 0; i < records.size(); i++) {
            DeaggregatedRecord record = fast.records().get(i);
            assertThat(new UserRecord(record.partitionKey(), record.explicitHashKey(), record.data()))
                    .isEqualTo(records.get(i));
            assertThat(record.subSequenceNumber()).isEqualTo(i);
        }
        // and the aggregator writes exactly the KPL layout
        assertThat(Aggregates.aggregate(records).data()).isEqualTo(tablesFirst);
    }

    @Test
    void leavesEveryOtherLayoutToTheGeneralParser() {
        byte[] data = {1, 2, 3};
        MessageBuilder canonical = new MessageBuilder().string(1, "k")
                .message(3, MessageBuilder.record(0, null, data)).message(3, MessageBuilder.record(0, null, data));
        assertThat(read(Aggregates.frame(canonical.build()))).isNotNull();

        List<MessageBuilder> others = List.of(
                // a table entry after a record
                new MessageBuilder().string(1, "k").message(3, MessageBuilder.record(0, null, data)).string(1, "j"),
                // an unknown field
                new MessageBuilder().string(1, "k").varint(9, 1).message(3, MessageBuilder.record(0, null, data)),
                // a record with tags
                new MessageBuilder().string(1, "k").message(3, MessageBuilder.record(0, null, data)
                        .message(4, new MessageBuilder().string(1, "tag"))),
                // fields of a record in another order
                new MessageBuilder().string(1, "k").message(3, new MessageBuilder().bytes(3, data).varint(1, 0)),
                // an index outside the table
                new MessageBuilder().string(1, "k").message(3, MessageBuilder.record(1, null, data)),
                // an index as a 5-byte varint
                new MessageBuilder().string(1, "k").message(3, new MessageBuilder().raw(0x08).rawVarint(1L << 28)
                        .bytes(3, data)),
                // no records at all
                new MessageBuilder().string(1, "k"));
        for (MessageBuilder other : others) {
            byte[] aggregate = Aggregates.frame(other.build());
            assertThat(read(aggregate)).isNull();
        }
    }

    @Provide
    Arbitrary<List<UserRecord>> records() {
        return net.jqwik.api.Arbitraries.oneOf(RecordArbitraries.userRecords(300),
                RecordArbitraries.userRecordsFromFewKeys(300)).list().ofMinSize(2).ofMaxSize(40);
    }

    private static Deaggregation read(byte[] aggregate) {
        return CanonicalAggregateReader.read(aggregate, 4, aggregate.length - 20, "49", null);
    }

    /** The message for the records: tables deduplicated in order of first use, before or after the records. */
    private static byte[] message(List<UserRecord> records, boolean tablesFirst) {
        Map<String, Integer> partitionKeys = new LinkedHashMap<>();
        Map<String, Integer> explicitHashKeys = new LinkedHashMap<>();
        List<MessageBuilder> entries = new ArrayList<>();
        for (UserRecord record : records) {
            int pkIndex = partitionKeys.computeIfAbsent(record.partitionKey(), k -> partitionKeys.size());
            Long ehkIndex = record.explicitHashKey() == null ? null
                    : (long) explicitHashKeys.computeIfAbsent(record.explicitHashKey(), k -> explicitHashKeys.size());
            entries.add(MessageBuilder.record(pkIndex, ehkIndex, record.data()));
        }
        MessageBuilder tables = new MessageBuilder();
        partitionKeys.keySet().forEach(key -> tables.string(1, key));
        explicitHashKeys.keySet().forEach(key -> tables.string(2, key));
        MessageBuilder recordFields = new MessageBuilder();
        entries.forEach(entry -> recordFields.message(3, entry));
        byte[] first = (tablesFirst ? tables : recordFields).build();
        byte[] second = (tablesFirst ? recordFields : tables).build();
        byte[] message = new byte[first.length + second.length];
        System.arraycopy(first, 0, message, 0, first.length);
        System.arraycopy(second, 0, message, first.length, second.length);
        return message;
    }
}
