package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.aggregation.HashKeys;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ShardMapTest {
    @Property(tries = 200)
    void everyHashKeyFindsTheShardWhoseRangeHoldsIt(@ForAll @IntRange(min = 1, max = 40) int shards,
                                                    @ForAll("hashKeys") BigInteger hashKey) {
        List<ShardMap.Shard> list = new ArrayList<>();
        FakeKinesis.evenShards(shards, 0).forEach(s -> list.add(new ShardMap.Shard(s.shardId(), FakeKinesis.range(s))));
        java.util.Collections.reverse(list); // the map sorts them itself
        ShardMap map = ShardMap.of(list);
        ShardMap.Shard found = map.shardFor(hashKey);
        assertThat(found).isNotNull();
        assertThat(found.range().contains(hashKey)).isTrue();
        assertThat(map.byId(found.shardId())).isEqualTo(found);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<BigInteger> hashKeys() {
        return net.jqwik.api.Arbitraries.oneOf(
                net.jqwik.api.Arbitraries.bigIntegers().between(BigInteger.ZERO, HashKeys.MAX),
                net.jqwik.api.Arbitraries.of(BigInteger.ZERO, HashKeys.MAX, HashKeys.MAX.shiftRight(1)));
    }

    @Property(tries = 20)
    void anUnknownMapFindsNothing(@ForAll @IntRange(min = 0, max = 1000) int key) {
        assertThat(ShardMap.UNKNOWN.shardFor(BigInteger.valueOf(key))).isNull();
        assertThat(ShardMap.UNKNOWN.isKnown()).isFalse();
        assertThat(new HashKeyRange(BigInteger.ZERO, HashKeys.MAX).contains(BigInteger.valueOf(key))).isTrue();
    }
}
