package io.shardwise.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartitionKeysTest {

    @Test
    void aJsonFieldGivesTheKeyAndALineWithoutItARandomOneWithTheReason() {
        PartitionKeys keys = PartitionKeys.of(null, "user", null, false, true);

        assertThat(keys.keyFor("{\"user\":\"ann\",\"n\":1}", 1)).isEqualTo(new PartitionKeys.Choice("ann", null));
        assertThat(keys.keyFor("{\"user\":42}", 2).key()).isEqualTo("42");
        assertThat(keys.keyFor("{\"n\":1}", 3).problem()).isEqualTo("no field \"user\"");
        assertThat(keys.keyFor("{\"user\":{\"id\":1}}", 4).problem())
                .isEqualTo("field \"user\" is an object, not a string or number");
        assertThat(keys.keyFor("[1,2]", 5).problem()).isEqualTo("not a JSON object");
        PartitionKeys.Choice notJson = keys.keyFor("GET /index.html", 6);
        assertThat(notJson.problem()).startsWith("not JSON (Unrecognized token 'GET'");
        assertThat(notJson.key()).hasSize(36);
        assertThat(keys.keyFor("{\"user\":\"\"}", 7).problem())
                .isEqualTo("field \"user\" has 0 characters (a partition key has 1 to 256)");
        assertThat(keys.keyFor("{\"user\":\"" + "x".repeat(257) + "\"}", 8).problem())
                .isEqualTo("field \"user\" has 257 characters (a partition key has 1 to 256)");
    }

    @Test
    void aRegexGivesItsFirstGroup() {
        PartitionKeys keys = PartitionKeys.of(null, null, "user=(\\w+)", false, true);

        assertThat(keys.keyFor("ts=1 user=bob action=login", 1)).isEqualTo(new PartitionKeys.Choice("bob", null));
        assertThat(keys.keyFor("ts=2 action=logout", 2).problem()).isEqualTo("no match for /user=(\\w+)/");
        assertThat(PartitionKeys.of(null, null, "a|(b)", false, true).keyFor("a", 3).problem())
                .isEqualTo("group 1 of /a|(b)/ took part in no match");
    }

    @Test
    void fixedRandomAndLineNumberKeys() {
        assertThat(PartitionKeys.of("k", null, null, false, true).keyFor("x", 9).key()).isEqualTo("k");
        assertThat(PartitionKeys.of(null, null, null, false, false).keyFor("x", 9).key()).isEqualTo("9");
        PartitionKeys random = PartitionKeys.of(null, null, null, false, true);
        assertThat(random.keyFor("x", 1).key()).isNotEqualTo(random.keyFor("x", 1).key());
        assertThat(PartitionKeys.of(null, null, null, true, false).description()).isEqualTo("random keys");
    }

    @Test
    void badOptionsAreOneLineErrorsNamingTheValue() {
        assertThatThrownBy(() -> PartitionKeys.of("k", "user", null, true, true)).isInstanceOf(CliException.class)
                .hasMessage("choose one way to make partition keys: got --key, --key-field, --random-key");
        assertThatThrownBy(() -> PartitionKeys.of(null, null, "user=(", false, true)).isInstanceOf(CliException.class)
                .hasMessage("--key-regex user=( is not a regular expression: Unclosed group at index 6");
        assertThatThrownBy(() -> PartitionKeys.of(null, null, "user=\\w+", false, true))
                .hasMessage("--key-regex user=\\w+ has no group: the key is group 1, e.g. 'user=(\\w+)'");
        assertThatThrownBy(() -> PartitionKeys.of("x".repeat(257), null, null, false, true))
                .hasMessageEndingWith("has 257 characters: a partition key has 1 to 256");
        assertThatThrownBy(() -> PartitionKeys.of(null, "", null, false, true))
                .hasMessage("--key-field needs a field name: got an empty one");
    }
}
