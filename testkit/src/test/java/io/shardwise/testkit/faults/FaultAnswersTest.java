package io.shardwise.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FaultAnswersTest {

    @Test
    void aDynamoDbThrottleIsA400WithTheNamespacedTypeAndACrc32OfItsBody() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FaultAnswers.throttle(out, FaultPayloads.forContentType("application/x-amz-json-1.0"), FaultService.DYNAMODB,
                "slow down");

        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        FaultHttpHead head = FaultHttpHead.read(in);
        byte[] body = in.readAllBytes();
        assertThat(head.status()).isEqualTo(400);
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                        + "\"message\":\"slow down\"}");
        assertThat(head.header("Content-Type")).isEqualTo("application/x-amz-json-1.0");
        assertThat(head.header("x-amz-crc32")).isEqualTo(Long.toString(FaultAnswers.crc32(body)));
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(body.length));
        assertThat(head.header("x-amzn-RequestId")).isNotBlank();
        assertThat(head.header("x-amzn-ErrorType")).isNull();
    }

    @Test
    void aKinesisErrorNamesItsCodeInTheErrorTypeHeaderAndABareType() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FaultAnswers.error(out, FaultPayloads.forContentType("application/x-amz-json-1.1"), FaultService.KINESIS,
                "500 Internal Server Error", FaultService.KINESIS.internalErrorCode(), "boom");

        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        FaultHttpHead head = FaultHttpHead.read(in);
        assertThat(head.status()).isEqualTo(500);
        assertThat(head.header("x-amzn-ErrorType")).isEqualTo("InternalFailure:");
        assertThat(head.header("x-amz-crc32")).isNull();
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"__type\":\"InternalFailure\",\"message\":\"boom\"}");
    }

    @Test
    void theServiceComesFromTheTargetPrefix() {
        assertThat(FaultService.ofTarget("DynamoDB_20120810.UpdateItem")).isEqualTo(FaultService.DYNAMODB);
        assertThat(FaultService.ofTarget("Kinesis_20131202.PutRecords")).isEqualTo(FaultService.KINESIS);
        assertThat(FaultService.DYNAMODB.internalErrorCode()).isEqualTo("InternalServerError");
    }
}
