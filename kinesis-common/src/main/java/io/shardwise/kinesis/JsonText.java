package io.shardwise.kinesis;

/** Writes a string as a JSON string literal, for the few places that write JSON by hand (no JSON library needed). */
public final class JsonText {

    private JsonText() {
    }

    /** Appends {@code value} to {@code text} between quotes, escaping quotes, backslashes and control characters. */
    public static StringBuilder quote(StringBuilder text, String value) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                text.append('\\').append(c);
            } else if (c < 0x20) {
                text.append(String.format("\\u%04x", (int) c));
            } else {
                text.append(c);
            }
        }
        return text.append('"');
    }
}
