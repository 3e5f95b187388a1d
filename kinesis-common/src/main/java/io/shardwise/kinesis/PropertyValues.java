package io.shardwise.kinesis;

import java.util.Locale;

/**
 * Reads the values of a KPL or KCL properties file: each bad value is refused with the key, the value
 * and what is allowed, so a user fixes the file in one go.
 */
public final class PropertyValues {

    private PropertyValues() {
    }

    /** An integer within {@code range[0] .. range[1]}. */
    public static long number(String key, String value, long[] range) {
        long number;
        try {
            number = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = '" + value + "' is not an integer; allowed: " + range(range));
        }
        if (number < range[0] || number > range[1]) {
            throw new IllegalArgumentException(key + " = " + number + " is out of range; allowed: " + range(range));
        }
        return number;
    }

    /** {@code true} or {@code false}, in any case. */
    public static boolean bool(String key, String value) {
        if (value.trim().equalsIgnoreCase("true")) {
            return true;
        }
        if (value.trim().equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + " = '" + value + "' is not a boolean; allowed: true, false");
    }

    /**
     * One of an enum's constants, in any case; the allowed values are listed in lower case when the
     * file's own tool writes them so (the KPL), else as declared.
     */
    public static <E extends Enum<E>> E choice(String key, String value, Class<E> type, boolean listLowerCase) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            String name = listLowerCase ? constant.name().toLowerCase(Locale.ROOT) : constant.name();
            allowed.append(allowed.length() == 0 ? "" : ", ").append(name);
        }
        throw new IllegalArgumentException(key + " = '" + value + "' is not allowed; allowed: " + allowed);
    }

    private static String range(long[] range) {
        return range[0] + " .. " + range[1];
    }
}
