package io.shardwise.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Mutates valid aggregates and checks the all-or-nothing contract: every result is either the full
 * set of records a correct decoder finds (protobuf-java's own, via {@link SchemaOracle}) or one plain
 * passthrough of the unchanged bytes. Never an exception.
 */
class MutationFuzzPropertyTest {

    /** One edit of a byte array; positions are taken modulo the length. */
    record Mutation(Kind kind, int position, int length, byte value) {
        enum Kind { FLIP_BIT, SET_BYTE, INSERT, DELETE, TRUNCATE, DUPLICATE_RANGE }

        byte[] applyTo(byte[] in) {
            if (in.length == 0) {
                return kind == Kind.INSERT ? new byte[] {value} : in;
            }
            int at = Math.floorMod(position, in.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (kind) {
                case FLIP_BIT -> {
                    byte[] copy = in.clone();
                    copy[at] ^= (byte) (1 << (value & 7));
                    return copy;
                }
                case SET_BYTE -> {
                    byte[] copy = in.clone();
                    copy[at] = value;
                    return copy;
                }
                case INSERT -> {
                    out.write(in, 0, at);
                    out.write(value);
                    out.write(in, at, in.length - at);
                }
                case DELETE -> {
                    int n = Math.min(length, in.length - at);
                    out.write(in, 0, at);
                    out.write(in, at + n, in.length - at - n);
                }
                case TRUNCATE -> out.write(in, 0, at);
                case DUPLICATE_RANGE -> {
                    int n = Math.min(length, in.length - at);
                    out.write(in, 0, at + n);
                    out.write(in, at, in.length - at);
                }
            }
            return out.toByteArray();
        }
    }

    @Property(tries = 1000)
    void mutatedAggregatesGiveAllOrOnePassthrough(@ForAll("aggregates") byte[] aggregate,
                                                  @ForAll("mutations") List<Mutation> mutations) {
        byte[] mutated = aggregate;
        for (Mutation mutation : mutations) {
            mutated = mutation.applyTo(mutated);
        }
        Deaggregation result = Deaggregator.deaggregate("a", null, mutated, "9", null);
        if (result.aggregated()) {
            // only possible when the mutations cancelled out or missed the checksummed bytes' meaning
            assertThat(mutated).startsWith(AggregateFormat.MAGIC);
            assertMatchesOracle(result, Aggregates.message(mutated));
        } else {
            assertPassthroughOf(result, mutated);
        }
    }

    /** With the checksum recomputed, the mutated message reaches the parser itself. */
    @Property(tries = 3000)
    void mutatedMessagesWithAValidChecksumParseExactlyAsProtobufDoes(@ForAll("aggregates") byte[] aggregate,
                                                                     @ForAll("mutations") List<Mutation> mutations) {
        byte[] message = Aggregates.message(aggregate);
        for (Mutation mutation : mutations) {
            message = mutation.applyTo(message);
        }
        byte[] framed = Aggregates.frame(message);

        Deaggregation result = Deaggregator.deaggregate("a", null, framed, "9", null);

        List<UserRecord> expected = SchemaOracle.expectedRecords(message);
        if (expected == null) {
            assertPassthroughOf(result, framed);
            assertThat(result.reason()).isEqualTo(PassthroughReason.UNPARSEABLE);
        } else {
            assertThat(result.aggregated()).as(result.detail()).isTrue();
            assertMatchesOracle(result, message);
        }
        Statistics.label("outcome").collect(result.aggregated() ? "aggregated" : "passthrough");
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("aggregated").percentage(p -> p > 5);
            coverage.check("passthrough").percentage(p -> p > 5);
        });
    }

    @Property(tries = 500)
    void arbitraryBytesBehindTheMagicNeverThrow(@ForAll byte[] message) {
        byte[] framed = Aggregates.frame(message);
        Deaggregation result = Deaggregator.deaggregate("a", null, framed, "9", null);
        List<UserRecord> expected = SchemaOracle.expectedRecords(message);
        if (expected == null) {
            assertPassthroughOf(result, framed);
        } else {
            assertMatchesOracle(result, message);
        }
    }

    private static void assertMatchesOracle(Deaggregation result, byte[] message) {
        List<UserRecord> expected = SchemaOracle.expectedRecords(message);
        assertThat(expected).as("protobuf's decoder must agree that this is a valid aggregate").isNotNull();
        assertThat(result.records()).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            DeaggregatedRecord r = result.records().get(i);
            assertThat(new UserRecord(r.partitionKey(), r.explicitHashKey(), r.data())).isEqualTo(expected.get(i));
            assertThat(r.subSequenceNumber()).isEqualTo(i);
            assertThat(r.aggregated()).isTrue();
        }
    }

    private static void assertPassthroughOf(Deaggregation result, byte[] data) {
        assertThat(result.aggregated()).isFalse();
        assertThat(result.reason()).isNotNull();
        assertThat(result.detail()).isNotBlank();
        assertThat(result.records()).hasSize(1);
        assertThat(result.records().get(0).data()).isEqualTo(data);
        assertThat(result.records().get(0).partitionKey()).isEqualTo("a");
    }

    @Provide
    Arbitrary<byte[]> aggregates() {
        return Arbitraries.oneOf(
                RecordArbitraries.userRecords(60).list().ofMinSize(2).ofMaxSize(8),
                RecordArbitraries.userRecordsFromFewKeys(30).list().ofMinSize(2).ofMaxSize(12))
                .map(records -> Aggregates.aggregate(records).data());
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> mutation = Combinators.combine(
                Arbitraries.of(Mutation.Kind.class),
                Arbitraries.integers().between(0, 1_000_000),
                Arbitraries.integers().between(1, 8),
                Arbitraries.bytes()).as(Mutation::new);
        return mutation.list().ofMinSize(1).ofMaxSize(4);
    }
}
