package io.shardwise.kinesis;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * A KPL or KCL configuration file applied key by key, in key order, so a user of those libraries
 * keeps their file. What a library knows of its tool's keys (the numeric ranges, and why a key has
 * no equivalent) is a resource beside the class, one line a key:
 * <pre>
 * range.RecordTtl = 100 .. 9223372036854775807
 * none.ThreadPoolSize = there is no native daemon
 * </pre>
 */
public final class PropertiesFile {

    /** One key of a file: its value trimmed, and, for a key with a range, its number (else 0). */
    public record Entry(String key, String value, long number) {
    }

    /** Applies one entry to a builder; puts a key it does not apply into {@code notApplied}, with the reason. */
    @FunctionalInterface
    public interface Applier {
        void apply(Entry entry, Map<String, String> notApplied);
    }

    private final Map<String, long[]> ranges = new HashMap<>();
    private final Map<String, String> noEquivalent = new HashMap<>();
    private final String unknownKey;

    private PropertiesFile(String unknownKey) {
        this.unknownKey = unknownKey;
    }

    /**
     * Reads the key table {@code resource} (relative to {@code owner}'s package); {@code unknownKey}
     * is the reason given for a key the table does not know.
     */
    public static PropertiesFile keys(Class<?> owner, String resource, String unknownKey) {
        PropertiesFile keys = new PropertiesFile(unknownKey);
        Properties table = new Properties();
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("key table " + resource + " is missing beside " + owner.getName());
            }
            table.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String name : table.stringPropertyNames()) {
            String value = table.getProperty(name).trim();
            if (name.startsWith("range.")) {
                String[] bounds = value.split("\\s*\\.\\.\\s*");
                keys.ranges.put(name.substring(6), new long[] {Long.parseLong(bounds[0]), Long.parseLong(bounds[1])});
            } else if (name.startsWith("none.")) {
                keys.noEquivalent.put(name.substring(5), value);
            } else {
                throw new IllegalStateException("key table " + resource + ": '" + name + "' is neither range.* nor none.*");
            }
        }
        return keys;
    }

    /** Why {@code key} is not applied: the table's reason, or that the tool has no such key. */
    public String whyNotApplied(String key) {
        return noEquivalent.getOrDefault(key, unknownKey);
    }

    /**
     * Applies every key of {@code file}, in key order, after checking a numeric key's value against
     * its range. Returns the keys that were not applied, each with the reason, in key order.
     *
     * @throws IllegalArgumentException for a value that is refused, naming key, value and what is allowed
     */
    public Map<String, String> apply(Properties file, Applier applier) {
        Map<String, String> notApplied = new LinkedHashMap<>();
        for (String key : new TreeSet<>(file.stringPropertyNames())) {
            String value = file.getProperty(key).trim();
            long[] range = ranges.get(key);
            long number = range == null ? 0 : PropertyValues.number(key, value, range);
            applier.apply(new Entry(key, value, number), notApplied);
        }
        return notApplied;
    }
}
