package io.shardwise.testkit.faults;

/**
 * The AWS service a request is for, read from its {@code X-Amz-Target} prefix
 * ({@code DynamoDB_20120810.} or {@code Kinesis_20131202.}), and how that service spells the
 * errors the proxy answers with.
 */
enum FaultService {

    /** Kinesis: the error code in the {@code x-amzn-ErrorType} header and a bare {@code __type}. */
    KINESIS("InternalFailure", "Rate exceeded (injected by FaultProxy)", ""),

    /**
     * DynamoDB: a {@code __type} qualified by the API's namespace, no {@code x-amzn-ErrorType}
     * header, and an {@code x-amz-crc32} header over the body, as the real service answers.
     */
    DYNAMODB("InternalServerError",
            "The level of configured provisioned throughput for the table was exceeded. Consider increasing your"
                    + " provisioning level with the UpdateTable API. (injected by FaultProxy)",
            "com.amazonaws.dynamodb.v20120810#");

    private final String internalErrorCode;
    private final String throttleMessage;
    private final String typePrefix;

    FaultService(String internalErrorCode, String throttleMessage, String typePrefix) {
        this.internalErrorCode = internalErrorCode;
        this.throttleMessage = throttleMessage;
        this.typePrefix = typePrefix;
    }

    /** The service of a request with this X-Amz-Target header (null: Kinesis, the kit's first service). */
    static FaultService ofTarget(String target) {
        return target != null && target.startsWith("DynamoDB_") ? DYNAMODB : KINESIS;
    }

    /** The error code of a 500 answer: InternalFailure for Kinesis, InternalServerError for DynamoDB. */
    String internalErrorCode() {
        return internalErrorCode;
    }

    /** The message of a whole-call throttle. */
    String throttleMessage() {
        return throttleMessage;
    }

    /** The {@code __type} of an error body. */
    String errorType(String code) {
        return typePrefix + code;
    }

    /** Whether the error code travels in an {@code x-amzn-ErrorType} header. */
    boolean sendsErrorTypeHeader() {
        return this == KINESIS;
    }

    /** Whether answers carry an {@code x-amz-crc32} header, which the DynamoDB client checks. */
    boolean sendsCrc32() {
        return this == DYNAMODB;
    }
}
