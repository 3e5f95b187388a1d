package io.shardwise.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.kinesis.AwsErrorClassifier.Kind;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorClassifierTest {

    private static AwsServiceException service(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " message").build())
                .build();
    }

    @Test
    void throttlingIsThrottledAndRetriable() {
        assertThat(AwsErrorClassifier.ofCall(service(400, "ProvisionedThroughputExceededException")).kind())
                .isEqualTo(Kind.THROTTLED);
        assertThat(AwsErrorClassifier.ofCall(service(400, "ThrottlingException")).kind()).isEqualTo(Kind.THROTTLED);
        assertThat(AwsErrorClassifier.ofCall(service(429, "SomethingElse")).kind()).isEqualTo(Kind.THROTTLED);
        assertThat(AwsErrorClassifier.retriable(service(400, "ProvisionedThroughputExceededException"))).isTrue();
    }

    @Test
    void serverErrorsAndClientSideFailuresAreRetriable() {
        assertThat(AwsErrorClassifier.ofCall(service(500, "InternalFailure")).kind()).isEqualTo(Kind.RETRIABLE);
        assertThat(AwsErrorClassifier.ofCall(service(503, "ServiceUnavailable")).kind()).isEqualTo(Kind.RETRIABLE);
        assertThat(AwsErrorClassifier.retriable(SdkClientException.create("connection reset"))).isTrue();
        assertThat(AwsErrorClassifier.retriable(ApiCallTimeoutException.create(10_000))).isTrue();
        assertThat(AwsErrorClassifier.retriable(new CompletionException(service(500, "InternalFailure")))).isTrue();
    }

    @Test
    void requestErrorsAreFinal() {
        assertThat(AwsErrorClassifier.ofCall(service(400, "ResourceNotFoundException")).kind()).isEqualTo(Kind.FINAL);
        assertThat(AwsErrorClassifier.ofCall(service(400, "ValidationException")).kind()).isEqualTo(Kind.FINAL);
        assertThat(AwsErrorClassifier.ofCall(service(400, "ConditionalCheckFailedException")).kind()).isEqualTo(Kind.FINAL);
        assertThat(AwsErrorClassifier.ofCall(service(403, "SomeUnknown4xx")).kind()).isEqualTo(Kind.FINAL);
        assertThat(AwsErrorClassifier.retriable(new IllegalStateException("bug"))).isFalse();
        AwsErrorClassifier.Failure failure = AwsErrorClassifier.ofCall(service(400, "AccessDeniedException"));
        assertThat(failure.code()).isEqualTo("AccessDeniedException");
        assertThat(failure.message()).isEqualTo("AccessDeniedException message");
    }

    @Test
    void putRecordsEntriesAreClassifiedByCode() {
        assertThat(AwsErrorClassifier.ofEntry("ProvisionedThroughputExceededException", "slow down").kind())
                .isEqualTo(Kind.THROTTLED);
        assertThat(AwsErrorClassifier.ofEntry("InternalFailure", "oops").kind()).isEqualTo(Kind.RETRIABLE);
        assertThat(AwsErrorClassifier.ofEntry("KMSAccessDeniedException", "no").kind()).isEqualTo(Kind.FINAL);
    }
}
