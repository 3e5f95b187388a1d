package io.shardwise.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether an output stream is a terminal, for live views and progress bars. Java 17's
 * {@code System.console()} answers only when standard input AND output are terminals; {@code put}
 * reads a pipe, so on Linux the descriptor's link in {@code /proc/self/fd} is asked as well.
 */
final class Terminal {

    private Terminal() {
    }

    static boolean standardOutput() {
        return System.console() != null || linkedToTerminal(1);
    }

    static boolean standardError() {
        return System.console() != null || linkedToTerminal(2);
    }

    private static boolean linkedToTerminal(int descriptor) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + descriptor)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException notLinux) {
            return false;
        }
    }
}
