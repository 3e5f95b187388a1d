package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordValidatorTest {
    private final RecordValidator validator = new RecordValidator(1024 * 1024);

    @Test
    void countsDataPlusUtf8KeyBytes() {
        assertThat(validator.validate("ключ", null, new byte[10])).isEqualTo(18);
        assertThat(validator.validate("k", "0", new byte[0])).isEqualTo(1);
    }

    @Test
    void partitionKeyMustHoldOneTo256Characters() {
        assertThatThrownBy(() -> validator.validate("", null, new byte[1])).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("0 characters").hasMessageContaining("1 to 256");
        assertThatThrownBy(() -> validator.validate("x".repeat(257), null, new byte[1]))
                .hasMessageContaining("257 characters");
        // 256 characters outside the BMP are 512 chars in Java but 256 for Kinesis.
        assertThat(validator.validate("😀".repeat(256), null, new byte[0])).isEqualTo(1024);
        assertThatThrownBy(() -> validator.validate(null, null, new byte[1]))
                .isInstanceOf(InvalidRecordException.class).extracting("field").isEqualTo("partitionKey");
    }

    @Test
    void explicitHashKeyMustBeInRange() {
        assertThatThrownBy(() -> validator.validate("k", "340282366920938463463374607431768211456", new byte[1]))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("340282366920938463463374607431768211456")
                .hasMessageContaining("2^128-1");
        assertThatThrownBy(() -> validator.validate("k", "-1", new byte[1])).isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> validator.validate("k", "12a", new byte[1])).isInstanceOf(InvalidRecordException.class);
        assertThat(validator.validate("k", "340282366920938463463374607431768211455", new byte[1])).isEqualTo(2);
    }

    @Test
    void dataMustBePresentAndWithinTheStreamsRecordSize() {
        assertThatThrownBy(() -> validator.validate("k", null, null)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("data is null");
        assertThatThrownBy(() -> validator.validate("key", null, new byte[1024 * 1024 - 2]))
                .hasMessageContaining("1048577 bytes exceeds").hasMessageContaining("1048576");
        assertThat(new RecordValidator(10 * 1024 * 1024).validate("key", null, new byte[5 * 1024 * 1024]))
                .isEqualTo(5 * 1024 * 1024 + 3);
    }
}
