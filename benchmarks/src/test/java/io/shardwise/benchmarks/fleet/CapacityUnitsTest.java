package io.shardwise.benchmarks.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityUnitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode item(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void itemSizeCountsNamesAndValuesAsDynamoDbDoes() throws Exception {
        // "leaseKey" 8 + "shardId-000000000001" 20; "leaseCounter" 12 + 123 (3 digits: 2 + 1 = 3);
        // "done" 4 + BOOL 1; "parents" 7 + L: 3 + (1 + "a" 1) + (1 + "bc" 2) = 8; "blob" 4 + 3 bytes ("AAEC").
        JsonNode item = item("""
                {"leaseKey":{"S":"shardId-000000000001"},"leaseCounter":{"N":"123"},"done":{"BOOL":true},
                 "parents":{"L":[{"S":"a"},{"S":"bc"}]},"blob":{"B":"AAEC"}}""");
        assertThat(CapacityUnits.itemBytes(item)).isEqualTo(28 + 15 + 5 + 15 + 7);
    }

    @Test
    void numbersCostOneBytePerTwoSignificantDigitsPlusOne() {
        assertThat(CapacityUnits.numberBytes("0")).isEqualTo(2);
        assertThat(CapacityUnits.numberBytes("1000")).isEqualTo(2); // trailing zeros are free
        assertThat(CapacityUnits.numberBytes("-12345")).isEqualTo(4);
        assertThat(CapacityUnits.numberBytes("0.0012")).isEqualTo(2);
        assertThat(CapacityUnits.numberBytes("1795865995730")).isEqualTo(7); // 12 significant digits
    }

    @Test
    void readsAreFourKilobyteUnitsHalvedWhenEventuallyConsistent() {
        assertThat(CapacityUnits.readUnits(0, true)).isEqualTo(1.0);
        assertThat(CapacityUnits.readUnits(4096, true)).isEqualTo(1.0);
        assertThat(CapacityUnits.readUnits(4097, true)).isEqualTo(2.0);
        assertThat(CapacityUnits.readUnits(400 * 1000, true)).isEqualTo(98.0);
        assertThat(CapacityUnits.readUnits(400 * 1000, false)).isEqualTo(49.0);
        assertThat(CapacityUnits.readUnits(100, false)).isEqualTo(0.5);
    }

    @Test
    void writesAreOneKilobyteUnitsOnTheLargerOfOldAndNew() {
        assertThat(CapacityUnits.writeUnits(0, 300)).isEqualTo(1);
        assertThat(CapacityUnits.writeUnits(1024, 0)).isEqualTo(1);
        assertThat(CapacityUnits.writeUnits(1025, 300)).isEqualTo(2);
        assertThat(CapacityUnits.writeUnits(300, 2100)).isEqualTo(3);
    }

    @Test
    void aGlobalIndexCostsWritesOnlyWhenWhatItHoldsChanges() throws Exception {
        CapacityUnits.IndexShape byOwner = new CapacityUnits.IndexShape("LeaseOwnerToLeaseKeyIndex",
                List.of("leaseOwner"), List.of("leaseKey"), false, List.of());
        JsonNode unowned = item("{\"leaseKey\":{\"S\":\"s1\"},\"leaseCounter\":{\"N\":\"1\"}}");
        JsonNode ownedByA = item("{\"leaseKey\":{\"S\":\"s1\"},\"leaseOwner\":{\"S\":\"a\"},\"leaseCounter\":{\"N\":\"2\"}}");
        JsonNode renewedByA = item("{\"leaseKey\":{\"S\":\"s1\"},\"leaseOwner\":{\"S\":\"a\"},\"leaseCounter\":{\"N\":\"3\"}}");
        JsonNode ownedByB = item("{\"leaseKey\":{\"S\":\"s1\"},\"leaseOwner\":{\"S\":\"b\"},\"leaseCounter\":{\"N\":\"4\"}}");

        assertThat(CapacityUnits.indexWriteUnits(null, unowned, byOwner)).isZero();
        assertThat(CapacityUnits.indexWriteUnits(unowned, ownedByA, byOwner)).isEqualTo(1); // enters the index
        assertThat(CapacityUnits.indexWriteUnits(ownedByA, renewedByA, byOwner)).isZero(); // keys-only: counter not held
        assertThat(CapacityUnits.indexWriteUnits(renewedByA, ownedByB, byOwner)).isEqualTo(2); // delete + put
        assertThat(CapacityUnits.indexWriteUnits(ownedByB, null, byOwner)).isEqualTo(1); // leaves with the item

        CapacityUnits.IndexShape all = new CapacityUnits.IndexShape("all", List.of("leaseOwner"), List.of("leaseKey"),
                true, List.of());
        assertThat(CapacityUnits.indexWriteUnits(ownedByA, renewedByA, all)).isEqualTo(1); // projected counter changed
    }
}
