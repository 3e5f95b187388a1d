package io.shardwise.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyTableTest {

    @Test
    void findsEveryKeyAcrossGrowthAndForgetsThemOnClear() {
        KeyTable table = new KeyTable();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5_000; i++) {
                String key = "key-" + i;
                assertThat(table.indexOf(key)).isEqualTo(-1);
                assertThat(table.add(key, key.length())).isEqualTo(i);
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
        KeyTable table = new KeyTable();
        // "Aa" and "BB" share String.hashCode(), and so do all their concatenations
        String[] colliding = {"AaAa", "AaBB", "BBAa", "BBBB"};
        for (String key : colliding) {
            table.add(key, 4);
        }
        for (int i = 0; i < colliding.length; i++) {
            assertThat(table.indexOf(colliding[i])).isEqualTo(i);
        }
        assertThat(table.indexOf("AaAb")).isEqualTo(-1);
    }
}
