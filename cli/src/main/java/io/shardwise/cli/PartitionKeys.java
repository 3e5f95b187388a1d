package io.shardwise.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How {@code put} chooses a line's partition key: one fixed key, a JSON field, the first group of
 * a regular expression, a random key, or (standard input only) the line number.
 *
 * <p>A line the chosen way gives no key for (not JSON, no such field, no match, or a key outside
 * Kinesis's 1 to 256 characters) is still sent, under a random key, and the {@link Choice} says why:
 * no line is dropped because of its key.
 */
abstract class PartitionKeys {

    /** Kinesis's limit on a partition key, in Unicode characters. */
    static final int MAX_KEY_CHARS = 256;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The key for one line; {@code problem} is null, or why the key is a random one instead. */
    record Choice(String key, String problem) {
    }

    abstract Choice keyFor(String line, long lineNumber);

    /** A one-phrase description for the startup note, e.g. {@code the JSON field "user"}. */
    abstract String description();

    /**
     * The strategy the options ask for; at most one may be given. Without any: random keys when
     * {@code randomByDefault}, else the line number (the historical default of {@code put}).
     */
    static PartitionKeys of(String fixed, String jsonField, String regex, boolean random, boolean randomByDefault) {
        List<String> given = new ArrayList<>();
        if (fixed != null) {
            given.add("--key");
        }
        if (jsonField != null) {
            given.add("--key-field");
        }
        if (regex != null) {
            given.add("--key-regex");
        }
        if (random) {
            given.add("--random-key");
        }
        if (given.size() > 1) {
            throw new CliException("choose one way to make partition keys: got " + String.join(", ", given));
        }
        if (fixed != null) {
            requireKey("--key", fixed);
            return new Fixed(fixed);
        }
        if (jsonField != null) {
            if (jsonField.isEmpty()) {
                throw new CliException("--key-field needs a field name: got an empty one");
            }
            return new JsonField(jsonField);
        }
        if (regex != null) {
            return RegexGroup.compile(regex);
        }
        return random || randomByDefault ? new Random() : new LineNumber();
    }

    private static void requireKey(String option, String key) {
        int characters = key.codePointCount(0, key.length());
        if (characters < 1 || characters > MAX_KEY_CHARS) {
            throw new CliException(option + " '" + key + "' has " + characters + " characters: a partition key has 1 to "
                    + MAX_KEY_CHARS);
        }
    }

    /** The key, or a random one with the reason when it is outside Kinesis's limits. */
    static Choice checked(String key, String source) {
        int characters = key.codePointCount(0, key.length());
        if (characters < 1 || characters > MAX_KEY_CHARS) {
            return randomInstead(source + " has " + characters + " characters (a partition key has 1 to "
                    + MAX_KEY_CHARS + ")");
        }
        return new Choice(key, null);
    }

    static Choice randomInstead(String problem) {
        return new Choice(randomKey(), problem);
    }

    static String randomKey() {
        return UUID.randomUUID().toString();
    }

    private static final class Fixed extends PartitionKeys {
        private final Choice choice;

        Fixed(String key) {
            this.choice = new Choice(key, null);
        }

        @Override
        Choice keyFor(String line, long lineNumber) {
            return choice;
        }

        @Override
        String description() {
            return "the key '" + choice.key() + "'";
        }
    }

    private static final class JsonField extends PartitionKeys {
        private final String field;

        JsonField(String field) {
            this.field = field;
        }

        @Override
        Choice keyFor(String line, long lineNumber) {
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                return randomInstead("not JSON (" + e.getOriginalMessage() + ")");
            }
            if (node == null || !node.isObject()) {
                return randomInstead("not a JSON object");
            }
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return randomInstead("no field \"" + field + "\"");
            }
            if (!value.isValueNode()) {
                return randomInstead("field \"" + field + "\" is an " + value.getNodeType().name().toLowerCase()
                        + ", not a string or number");
            }
            return checked(value.asText(), "field \"" + field + "\"");
        }

        @Override
        String description() {
            return "the JSON field \"" + field + "\"";
        }
    }

    private static final class RegexGroup extends PartitionKeys {
        private final Pattern pattern;

        private RegexGroup(Pattern pattern) {
            this.pattern = pattern;
        }

        static RegexGroup compile(String regex) {
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new CliException("--key-regex " + regex + " is not a regular expression: "
                        + e.getDescription() + " at index " + e.getIndex());
            }
            if (pattern.matcher("").groupCount() < 1) {
                throw new CliException("--key-regex " + regex + " has no group: the key is group 1, e.g. 'user=(\\w+)'");
            }
            return new RegexGroup(pattern);
        }

        @Override
        Choice keyFor(String line, long lineNumber) {
            Matcher matcher = pattern.matcher(line);
            if (!matcher.find()) {
                return randomInstead("no match for /" + pattern.pattern() + "/");
            }
            String key = matcher.group(1);
            if (key == null) {
                return randomInstead("group 1 of /" + pattern.pattern() + "/ took part in no match");
            }
            return checked(key, "group 1 of /" + pattern.pattern() + "/");
        }

        @Override
        String description() {
            return "group 1 of /" + pattern.pattern() + "/";
        }
    }

    private static final class Random extends PartitionKeys {
        @Override
        Choice keyFor(String line, long lineNumber) {
            return new Choice(randomKey(), null);
        }

        @Override
        String description() {
            return "random keys";
        }
    }

    private static final class LineNumber extends PartitionKeys {
        @Override
        Choice keyFor(String line, long lineNumber) {
            return new Choice(Long.toString(lineNumber), null);
        }

        @Override
        String description() {
            return "the line number";
        }
    }
}
