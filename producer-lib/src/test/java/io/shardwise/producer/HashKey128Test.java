package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.aggregation.HashKeys;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

class HashKey128Test {
    @Property(tries = 300)
    void aPartitionKeyHashesAsKinesisDoes(@ForAll @StringLength(min = 1, max = 300) String partitionKey) {
        HashKey128 hash = HashKey128.of(partitionKey, null);
        assertThat(hash.toBigInteger()).isEqualTo(HashKeys.ofPartitionKey(partitionKey));
    }

    @Property(tries = 300)
    void halvesRoundTripAndOrderAsTheNumbers(@ForAll("hashKeys") BigInteger a, @ForAll("hashKeys") BigInteger b) {
        HashKey128 ha = HashKey128.of(a);
        assertThat(HashKey128.of("any-key", a.toString())).isEqualTo(ha);
        assertThat(ha.toBigInteger()).isEqualTo(a);
        assertThat(Integer.signum(ha.compareTo(HashKey128.of(b)))).isEqualTo(a.compareTo(b));
        assertThat(ha.toString()).isEqualTo(a.toString());
    }

    @Provide
    Arbitrary<BigInteger> hashKeys() {
        return Arbitraries.oneOf(Arbitraries.bigIntegers().between(BigInteger.ZERO, HashKeys.MAX),
                Arbitraries.of(BigInteger.ZERO, HashKeys.MAX, BigInteger.ONE.shiftLeft(64),
                        BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(127)));
    }
}
