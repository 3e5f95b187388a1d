package io.shardwise.lambda;

/** A user record's data could not be read as the asked type; names the record and the type. */
public final class PayloadFormatException extends RuntimeException {

    PayloadFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
