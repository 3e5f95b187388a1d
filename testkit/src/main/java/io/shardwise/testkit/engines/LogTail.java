package io.shardwise.testkit.engines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of an engine's log, for error messages. */
final class LogTail {

    private LogTail() {
    }

    static String of(Path log, int maxLines) {
        if (!Files.exists(log)) {
            return "(no log was written at " + log + ")";
        }
        try {
            // Malformed bytes must not hide the rest of the tail, so decode leniently.
            String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            List<String> tail = lines.subList(Math.max(0, lines.size() - maxLines), lines.size());
            if (tail.isEmpty()) {
                return "(the log " + log + " is empty)";
            }
            return "last " + tail.size() + " lines of " + log + ":\n    " + String.join("\n    ", tail);
        } catch (IOException e) {
            return "(could not read the log " + log + ": " + e + ")";
        }
    }
}
