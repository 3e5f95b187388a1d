package io.shardwise.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void quotesAndEscapesQuotesBackslashesAndControlCharacters() {
        assertThat(JsonText.quote(new StringBuilder("x="), "a\"b\\c\nd\u0001é").toString())
                .isEqualTo("x=\"a\\\"b\\\\c\\u000ad\\u0001é\"");
    }
}
