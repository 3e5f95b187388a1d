package io.shardwise.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed fixtures are exactly what {@link KplEventFixtures} builds from RecordAggregator. */
class KplEventFixturesTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = KplEventFixturesTest.class.getResourceAsStream("/events/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void fixturesMatchTheirGenerator() throws IOException {
        List<KplEventFixtures.Entry> mixed = KplEventFixtures.mixedEntries();
        assertThat(resource("kinesis-kpl-mixed.json")).isEqualTo(KplEventFixtures.eventJson(mixed));
        assertThat(resource("kinesis-plain.json")).isEqualTo(KplEventFixtures.eventJson(List.of(mixed.get(0), mixed.get(2))));
    }
}
