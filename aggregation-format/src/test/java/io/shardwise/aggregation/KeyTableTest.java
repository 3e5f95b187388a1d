package io.shardwise.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyTableTest {

    private static final int TAG = AggregateFormat.TAG_PARTITION_KEY_TABLE;

    @Test
    void findsEveryKeyAcrossGrowthAndForgetsThemOnClear() {
        KeyTable table = new KeyTable(TAG);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5_000; i++) {
                String key = "key-" + i;
                assertThat(table.indexOf(key)).isEqualTo(-1);
                assertThat(table.add(key)).isEqualTo(i);
            }
            int expectedSize = 0;
            for (int i = 0; i < 5_000; i++) {
                assertThat(table.indexOf("key-" + i)).isEqualTo(i);
                expectedSize += KeyTable.entrySize(("key-" + i).length());
            }
            assertThat(table.size()).isEqualTo(5_000);
            assertThat(table.serializedSize()).isEqualTo(expectedSize);
            table.clear();
            assertThat(table.size()).isZero();
            assertThat(table.serializedSize()).isZero();
            assertThat(table.indexOf("key-1")).isEqualTo(-1);
        }
    }

    @Test
    void keysWithEqualHashCodesStayDistinct() {
        KeyTable table = new KeyTable(TAG);
        // "Aa" and "BB" share String.hashCode(), and so do all their concatenations
        String[] colliding = {"AaAa", "AaBB", "BBAa", "BBBB"};
        for (String key : colliding) {
            table.add(key);
        }
        for (int i = 0; i < colliding.length; i++) {
            assertThat(table.indexOf(colliding[i])).isEqualTo(i);
        }
        assertThat(table.indexOf("AaAb")).isEqualTo(-1);
    }

    @Test
    void writesTheEntriesProtobufWritesForEveryKindOfKey() {
        List<String> keys = List.of("k", "ключ", "\uD83D\uDE00", "x\uD800y\uDC00", "é".repeat(70), "a".repeat(127),
                "a".repeat(128), "b".repeat(256), "");
        KeyTable table = new KeyTable(TAG);
        MessageBuilder oracle = new MessageBuilder();
        for (String key : keys) {
            table.add(key);
            oracle.string(AggregateFormat.PARTITION_KEY_TABLE, key);
        }
        byte[] expected = oracle.build();
        byte[] written = new byte[table.serializedSize() + 3];
        assertThat(table.writeTo(written, 3)).isEqualTo(written.length);
        assertThat(Arrays.copyOfRange(written, 3, written.length)).isEqualTo(expected);
        for (String key : keys) {
            assertThat(KeyTable.entrySize(Utf8.encodedLength(key)))
                    .as("entry size of %s", key).isEqualTo(entryOf(key).length);
        }
    }

    @Test
    void removeLastRestoresTheTableExactly() {
        KeyTable table = new KeyTable(TAG);
        for (int i = 0; i < 100; i++) {
            table.add("key-" + i);
        }
        byte[] before = new byte[table.serializedSize()];
        table.writeTo(before, 0);
        for (int i = 0; i < 200; i++) { // also across growth of the index
            String extra = "extra-" + i;
            assertThat(table.indexOf(extra)).isEqualTo(-1);
            assertThat(table.add(extra)).isEqualTo(100);
            table.removeLast();
            assertThat(table.indexOf(extra)).isEqualTo(-1);
        }
        assertThat(table.size()).isEqualTo(100);
        byte[] after = new byte[table.serializedSize()];
        table.writeTo(after, 0);
        assertThat(after).isEqualTo(before);
        for (int i = 0; i < 100; i++) {
            assertThat(table.indexOf("key-" + i)).isEqualTo(i);
        }
        assertThat(table.add("key-100")).isEqualTo(100);
    }

    private static byte[] entryOf(String key) {
        return new MessageBuilder().string(AggregateFormat.PARTITION_KEY_TABLE, key).build();
    }
}
