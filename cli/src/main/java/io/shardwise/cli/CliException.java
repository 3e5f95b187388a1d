package io.shardwise.cli;

/** A failure the user can fix (bad input, a missing file): printed as one line, exit code 1. */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
