package io.shardwise.testkit.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalLambdaContextTest {

    private static final String ARN = LocalLambdaContext.functionArn("eu-west-1", "orders");

    @Test
    void namesTheFunctionOfItsArn() {
        LocalLambdaContext context = LocalLambdaContext.withRemainingTime(ARN, 1_000);

        assertThat(context.getInvokedFunctionArn()).isEqualTo("arn:aws:lambda:eu-west-1:000000000000:function:orders");
        assertThat(context.getFunctionName()).isEqualTo("orders");
        assertThat(context.getLogGroupName()).isEqualTo("/aws/lambda/orders");
        assertThat(context.getLogStreamName()).endsWith(context.getAwsRequestId());
        assertThat(LocalLambdaContext.withRemainingTime(ARN, 1_000).getAwsRequestId())
                .isNotEqualTo(context.getAwsRequestId());
    }

    @Test
    void aFixedRemainingTimeStaysPutAndACountdownNeverExceedsItsTimeout() {
        LocalLambdaContext fixed = LocalLambdaContext.withRemainingTime(ARN, 30_000);
        LocalLambdaContext countdown = LocalLambdaContext.withTimeout(ARN, Duration.ofMinutes(1));

        assertThat(fixed.getRemainingTimeInMillis()).isEqualTo(30_000);
        assertThat(fixed.getRemainingTimeInMillis()).isEqualTo(30_000);
        assertThat(countdown.getRemainingTimeInMillis()).isBetween(0, 60_000);
        assertThat(LocalLambdaContext.withTimeout(ARN, Duration.ZERO).getRemainingTimeInMillis()).isZero();
    }

    @Test
    void keepsEveryLoggedLineWithoutTrailingWhiteSpace() {
        LocalLambdaContext context = LocalLambdaContext.withRemainingTime(ARN, 1_000);

        context.getLogger().log("first\n");
        context.getLogger().log("second  ".getBytes(StandardCharsets.UTF_8));

        assertThat(context.logLines()).containsExactly("first", "second");
    }
}
