package io.shardwise.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PropertiesFileTest {
    private final PropertiesFile keys = PropertiesFile.keys(PropertiesFileTest.class, "sample-keys.properties",
            "not a sample key");

    @Test
    void appliesKeysInOrderWithTheirNumbersAndReportsTheOthersWithTheirReasons() {
        List<PropertiesFile.Entry> applied = new ArrayList<>();
        Map<String, String> notApplied = keys.apply(file("Port", " 8080 ", "Name", "orders", "Daemon", "yes", "Colour", "red"),
                (entry, skipped) -> {
                    switch (entry.key()) {
                        case "Port", "Name" -> applied.add(entry);
                        default -> skipped.put(entry.key(), keys.whyNotApplied(entry.key()));
                    }
                });

        assertThat(applied).containsExactly(new PropertiesFile.Entry("Name", "orders", 0),
                new PropertiesFile.Entry("Port", "8080", 8080));
        assertThat(notApplied).containsExactly(Map.entry("Colour", "not a sample key"),
                Map.entry("Daemon", "there is no daemon"));
    }

    @Test
    void refusesANumberOutsideItsRangeNamingKeyValueAndRange() {
        assertThatThrownBy(() -> keys.apply(file("Port", "70000"), (entry, skipped) -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Port = 70000 is out of range; allowed: 1 .. 65535");
    }

    @Test
    void aKeyTableWithALineOfNoKindIsRefused() {
        assertThatThrownBy(() -> PropertiesFile.keys(PropertiesFileTest.class, "broken-keys.properties", "x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'Port'");
        assertThatThrownBy(() -> PropertiesFile.keys(PropertiesFileTest.class, "missing.properties", "x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing.properties");
    }

    private static Properties file(String... keysAndValues) {
        Properties file = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            file.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return file;
    }
}
