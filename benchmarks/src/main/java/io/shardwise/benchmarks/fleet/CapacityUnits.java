package io.shardwise.benchmarks.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * DynamoDB's capacity arithmetic, as its pricing pages state it, over items in DynamoDB's JSON wire
 * form ({@code {"name": {"S": "..."}, ...}}).
 *
 * <p>Item size: the UTF-8 length of each attribute name plus its value: a string its UTF-8 length, a
 * binary its length, a number one byte per two significant digits plus one, a boolean or null one
 * byte, a list or map 3 bytes plus one byte and the size of each element (a map element's name
 * included), a set the sum of its elements. Reads: 4 KB units, half for an eventually consistent
 * read; a Scan or Query page is billed on the sum of the sizes of the items it read, a GetItem on
 * its one item, at least one unit either way. Writes: 1 KB units on the larger of the item's old
 * and new sizes, at least one; a failed condition is still billed, on the item's size. A global
 * secondary index costs its own writes when an item enters, leaves or changes in it.
 */
final class CapacityUnits {
    static final int READ_UNIT_BYTES = 4096;
    static final int WRITE_UNIT_BYTES = 1024;

    private CapacityUnits() {
    }

    /** The size DynamoDB bills for an item (null or missing: 0). */
    static long itemBytes(JsonNode item) {
        if (item == null || item.isNull() || item.isMissingNode()) {
            return 0;
        }
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            size += utf8(e.getKey()) + valueBytes(e.getValue());
        }
        return size;
    }

    /** The size of one attribute value in DynamoDB's JSON form. */
    static long valueBytes(JsonNode value) {
        Map.Entry<String, JsonNode> typed = value.fields().next();
        JsonNode v = typed.getValue();
        return switch (typed.getKey()) {
            case "S" -> utf8(v.asText());
            case "N" -> numberBytes(v.asText());
            case "B" -> Base64.getDecoder().decode(v.asText()).length;
            case "BOOL", "NULL" -> 1;
            case "SS" -> sum(v, e -> utf8(e.asText()));
            case "NS" -> sum(v, e -> numberBytes(e.asText()));
            case "BS" -> sum(v, e -> Base64.getDecoder().decode(e.asText()).length);
            case "L" -> 3 + sum(v, e -> 1 + valueBytes(e));
            case "M" -> {
                long size = 3;
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    size += 1 + utf8(e.getKey()) + valueBytes(e.getValue());
                }
                yield size;
            }
            default -> throw new IllegalArgumentException("unknown DynamoDB attribute type " + typed.getKey());
        };
    }

    /** One byte per two significant digits, plus one; sign, point and leading or trailing zeros are free. */
    static long numberBytes(String number) {
        String digits = number.replace("-", "").replace("+", "");
        int exponent = digits.indexOf('e') >= 0 ? digits.indexOf('e') : digits.indexOf('E');
        if (exponent >= 0) {
            digits = digits.substring(0, exponent);
        }
        digits = digits.replace(".", "");
        int from = 0;
        int to = digits.length();
        while (from < to && digits.charAt(from) == '0') {
            from++;
        }
        while (to > from && digits.charAt(to - 1) == '0') {
            to--;
        }
        int significant = Math.max(1, to - from);
        return (significant + 1) / 2 + 1;
    }

    /** Read units of one read of {@code bytes} (one item, or one Scan/Query page's items). */
    static double readUnits(long bytes, boolean consistent) {
        long units = Math.max(1, ceilDiv(bytes, READ_UNIT_BYTES));
        return consistent ? units : units / 2.0;
    }

    /** Write units of a write whose item was {@code oldBytes} before and {@code newBytes} after (0: absent). */
    static long writeUnits(long oldBytes, long newBytes) {
        return Math.max(1, ceilDiv(Math.max(oldBytes, newBytes), WRITE_UNIT_BYTES));
    }

    /**
     * Write units a global secondary index costs for one item write: nothing when the item is in the
     * index neither before nor after, or when nothing the index holds changed; one write when it
     * enters, leaves, or changes its projected attributes; two (a delete and a put) when its index
     * key changes.
     */
    static long indexWriteUnits(JsonNode oldItem, JsonNode newItem, IndexShape index) {
        boolean before = index.holds(oldItem);
        boolean after = index.holds(newItem);
        if (!before && !after) {
            return 0;
        }
        if (!before) {
            return writeUnits(0, index.entryBytes(newItem));
        }
        if (!after) {
            return writeUnits(index.entryBytes(oldItem), 0);
        }
        if (!index.keyOf(oldItem).equals(index.keyOf(newItem))) {
            return writeUnits(index.entryBytes(oldItem), 0) + writeUnits(0, index.entryBytes(newItem));
        }
        if (!index.entry(oldItem).equals(index.entry(newItem))) {
            return writeUnits(index.entryBytes(oldItem), index.entryBytes(newItem));
        }
        return 0;
    }

    /**
     * What a global secondary index keeps of an item: its key attributes, the table's key attributes,
     * and the projected ones ({@code projectAll}, or the {@code included} names).
     */
    record IndexShape(String name, List<String> keyAttributes, List<String> tableKeyAttributes, boolean projectAll,
                      List<String> included) {

        boolean holds(JsonNode item) {
            if (item == null || item.isNull() || item.isMissingNode()) {
                return false;
            }
            for (String key : keyAttributes) {
                if (!item.has(key)) {
                    return false;
                }
            }
            return true;
        }

        String keyOf(JsonNode item) {
            return keyString(keyAttributes, item);
        }

        Map<String, JsonNode> entry(JsonNode item) {
            Map<String, JsonNode> entry = new java.util.TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (projectAll || keyAttributes.contains(e.getKey()) || tableKeyAttributes.contains(e.getKey())
                        || included.contains(e.getKey())) {
                    entry.put(e.getKey(), e.getValue());
                }
            }
            return entry;
        }

        long entryBytes(JsonNode item) {
            long size = 0;
            for (Map.Entry<String, JsonNode> e : entry(item).entrySet()) {
                size += utf8(e.getKey()) + valueBytes(e.getValue());
            }
            return size;
        }

        IndexShape {
            Objects.requireNonNull(name);
        }
    }

    /** The values of the {@code keyAttributes} of an item (or a key), as one string to compare or look up by. */
    static String keyString(List<String> keyAttributes, JsonNode item) {
        StringBuilder key = new StringBuilder();
        for (String name : keyAttributes) {
            key.append(item.path(name)).append('|');
        }
        return key.toString();
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long sum(JsonNode array, java.util.function.ToLongFunction<JsonNode> size) {
        long total = 0;
        for (JsonNode e : array) {
            total += size.applyAsLong(e);
        }
        return total;
    }
}
