package io.shardwise.kinesis;

import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The one rule for Kinesis and DynamoDB failures: throttled, retriable (5xx, timeouts, broken
 * connections: retrying can fix them) or final (validation, access denied, not found: no retry
 * can). The producer classifies whole PutRecords calls and single entries with it; the consumer
 * decides which control-plane calls to retry. Needs the AWS SDK.
 */
public final class AwsErrorClassifier {

    /** What retrying can do about a failure. */
    public enum Kind { THROTTLED, RETRIABLE, FINAL }

    /** A classified failure with the code and message to report. */
    public record Failure(Kind kind, String code, String message) {
        public boolean retriable() {
            return kind != Kind.FINAL;
        }
    }

    /** Kinesis' throttling code for a shard's write or read limit. */
    public static final String THROTTLE_CODE = "ProvisionedThroughputExceededException";

    private static final Set<String> THROTTLE_CODES = Set.of(THROTTLE_CODE, "LimitExceededException",
            "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
            "KMSThrottlingException");

    /** Error codes that no retry can fix. */
    private static final Set<String> FINAL_CODES = Set.of("ResourceNotFoundException", "AccessDeniedException",
            "AccessDeniedExceptionMessage", "ValidationException", "InvalidArgumentException",
            "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature",
            "MissingAuthenticationToken", "KMSDisabledException", "KMSInvalidStateException",
            "KMSAccessDeniedException", "KMSNotFoundException", "KMSOptInRequired", "ResourceInUseException",
            "SerializationException", "ConditionalCheckFailedException", "TransactionCanceledException");

    private AwsErrorClassifier() {
    }

    /** True when retrying the call may succeed: a throttled or retriable failure. */
    public static boolean retriable(Throwable error) {
        return ofCall(error).retriable();
    }

    /** An entry of a PutRecords answer that carries an error code. */
    public static Failure ofEntry(String errorCode, String errorMessage) {
        if (THROTTLE_CODES.contains(errorCode)) {
            return new Failure(Kind.THROTTLED, errorCode, errorMessage);
        }
        // InternalFailure and anything unknown: retriable (the producer bounds it by the record's time to live).
        return new Failure(FINAL_CODES.contains(errorCode) ? Kind.FINAL : Kind.RETRIABLE, errorCode, errorMessage);
    }

    /** A whole call that failed; {@link CompletionException} and {@link ExecutionException} are unwrapped. */
    public static Failure ofCall(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorCode() != null) {
            String code = aws.awsErrorDetails().errorCode();
            String message = aws.awsErrorDetails().errorMessage();
            if (THROTTLE_CODES.contains(code) || aws.isThrottlingException()) {
                return new Failure(Kind.THROTTLED, code, message);
            }
            if (FINAL_CODES.contains(code)) {
                return new Failure(Kind.FINAL, code, message);
            }
            return new Failure(aws.statusCode() >= 500 || aws.statusCode() == 0 || aws.isRetryableException()
                    ? Kind.RETRIABLE : Kind.FINAL, code, message);
        }
        if (cause instanceof SdkServiceException service) {
            String code = "HTTP " + service.statusCode();
            if (service.isThrottlingException()) {
                return new Failure(Kind.THROTTLED, code, service.getMessage());
            }
            return new Failure(service.statusCode() >= 500 || service.isRetryableException()
                    ? Kind.RETRIABLE : Kind.FINAL, code, service.getMessage());
        }
        if (cause instanceof SdkClientException || cause instanceof java.io.IOException
                || cause instanceof java.util.concurrent.TimeoutException) {
            // Timeouts, refused or dropped connections, unreadable answers: the call may not have arrived.
            return new Failure(Kind.RETRIABLE, cause.getClass().getSimpleName(), cause.getMessage());
        }
        return new Failure(Kind.FINAL, cause.getClass().getSimpleName(), cause.getMessage());
    }

    /** The failure inside {@link CompletionException} and {@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
