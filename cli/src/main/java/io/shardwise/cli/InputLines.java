package io.shardwise.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/** Reads the lines of a file or of standard input, numbering them for error messages. */
final class InputLines {

    interface LineHandler {
        void handle(int lineNumber, String line);
    }

    private InputLines() {
    }

    /** Calls the handler for every non-blank line; a null file means standard input. */
    static void forEach(Path file, InputStream stdin, LineHandler handler) {
        try (BufferedReader reader = open(file, stdin)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (!line.isBlank()) {
                    handler.handle(number, line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] base64(int lineNumber, String field, String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new CliException("line " + lineNumber + ": " + field + " is not base64 (" + e.getMessage() + ")");
        }
    }

    private static BufferedReader open(Path file, InputStream stdin) throws IOException {
        if (file == null) {
            return new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException("no such file: " + file);
        }
    }
}
