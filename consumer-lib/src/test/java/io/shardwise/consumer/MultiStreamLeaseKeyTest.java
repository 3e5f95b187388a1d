package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Lease keys and stream identifiers in the KCL 2.3+ / 3.x multi-stream form. */
class MultiStreamLeaseKeyTest {
    private static final StreamIdentifier ORDERS = new StreamIdentifier("123456789012", "orders", 1700000000L);

    @Test
    void formatsAndParsesTheKclForm() {
        MultiStreamLeaseKey key = new MultiStreamLeaseKey(ORDERS, "shardId-000000000003");
        assertThat(key.leaseKey()).isEqualTo("123456789012:orders:1700000000:shardId-000000000003");
        assertThat(MultiStreamLeaseKey.parse(key.leaseKey())).isEqualTo(key);
        assertThat(ORDERS.serialize()).isEqualTo("123456789012:orders:1700000000");
        assertThat(StreamIdentifier.parse("123456789012:orders:1700000000")).isEqualTo(ORDERS);
    }

    @Test
    void streamNamesWithDotsDashesAndUnderscoresRoundTrip() {
        StreamIdentifier odd = new StreamIdentifier("000000000000", "a.b-c_d", 0);
        String key = new MultiStreamLeaseKey(odd, "shardId-000000000000").leaseKey();
        assertThat(MultiStreamLeaseKey.parse(key).stream()).isEqualTo(odd);
    }

    @Test
    void aSingleStreamKeyIsNotAMultiStreamKey() {
        assertThat(MultiStreamLeaseKey.tryParse("shardId-000000000000")).isEmpty();
        assertThatThrownBy(() -> MultiStreamLeaseKey.parse("shardId-000000000000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'shardId-000000000000'");
    }

    @Test
    void malformedKeysAreRefusedWithTheValueAndTheRule() {
        assertThatThrownBy(() -> MultiStreamLeaseKey.parse("orders:1700000000:shardId-1"))
                .hasMessageContaining("3 parts").hasMessageContaining("'orders:1700000000'");
        assertThatThrownBy(() -> MultiStreamLeaseKey.parse("12345:orders:1700000000:shardId-1"))
                .hasMessageContaining("12 digits").hasMessageContaining("'12345'");
        assertThatThrownBy(() -> MultiStreamLeaseKey.parse("123456789012:orders:soon:shardId-1"))
                .hasMessageContaining("'soon'");
        assertThatThrownBy(() -> StreamIdentifier.parse("123456789012:or/ders:1"))
                .hasMessageContaining("'or/ders'");
        assertThatThrownBy(() -> new StreamIdentifier("123456789012", "orders", -1))
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> new MultiStreamLeaseKey(ORDERS, ""))
                .hasMessageContaining("shard id");
    }

    @Test
    void readsTheIdentifierFromAnArn() {
        assertThat(StreamIdentifier.fromArn("arn:aws:kinesis:eu-west-1:123456789012:stream/orders", 1700000000L))
                .isEqualTo(ORDERS);
        assertThatThrownBy(() -> StreamIdentifier.fromArn("arn:aws:sqs:eu-west-1:123456789012:orders", 1))
                .hasMessageContaining("arn:aws:sqs:eu-west-1:123456789012:orders");
    }

    @Test
    void aConfigWhoseArnNamesAnotherStreamIsRefused() {
        assertThatThrownBy(() -> new StreamConfig(ORDERS, InitialPosition.latest(),
                "arn:aws:kinesis:eu-west-1:123456789012:stream/payments"))
                .hasMessageContaining("payments").hasMessageContaining(ORDERS.serialize());
    }
}
