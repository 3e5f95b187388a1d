package io.shardwise.testkit.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda context of one invocation outside Lambda: the one {@link LocalEventSourceMapping}
 * passes to the handler, and one for tests that call a handler directly. Its logger writes each
 * line to SLF4J (logger {@code io.shardwise.testkit.LocalFunction}) and keeps it for
 * {@link #logLines()}. The function name is the last part of the function ARN; the memory limit
 * is 512 MB; there is no identity and no client context.
 *
 * <pre>{@code
 * LocalLambdaContext context = LocalLambdaContext.withRemainingTime(
 *         "arn:aws:lambda:us-east-1:123456789012:function:orders", 60_000);
 * handler.handleRequest(event, context);
 * assertThat(context.logLines()).isEmpty();
 * }</pre>
 */
public final class LocalLambdaContext implements Context {

    private static final Logger LOG = LoggerFactory.getLogger("io.shardwise.testkit.LocalFunction");

    private final String requestId = UUID.randomUUID().toString();
    private final String functionArn;
    private final String functionName;
    /** The remaining time is the deadline minus the clock; a fixed remaining time has a stopped clock. */
    private final LongSupplier nanoClock;
    private final long deadlineNanos;
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final LambdaLogger logger = new LambdaLogger() {
        @Override
        public void log(String message) {
            String line = message.stripTrailing();
            LOG.info(line);
            logLines.add(line);
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    };

    private LocalLambdaContext(String functionArn, LongSupplier nanoClock, long deadlineNanos) {
        this.functionArn = Objects.requireNonNull(functionArn, "functionArn");
        this.functionName = functionArn.substring(functionArn.lastIndexOf(':') + 1);
        this.nanoClock = nanoClock;
        this.deadlineNanos = deadlineNanos;
    }

    /** A context whose remaining time counts down from {@code timeout}, as in a running invocation. */
    public static LocalLambdaContext withTimeout(String functionArn, Duration timeout) {
        return new LocalLambdaContext(functionArn, System::nanoTime, System.nanoTime() + timeout.toNanos());
    }

    /** A context whose remaining time stays {@code remainingMillis}, for tests of code that reads it. */
    public static LocalLambdaContext withRemainingTime(String functionArn, int remainingMillis) {
        return new LocalLambdaContext(functionArn, () -> 0L, remainingMillis * 1_000_000L);
    }

    /** The ARN of a function of the local account 000000000000 in {@code region}. */
    public static String functionArn(String region, String functionName) {
        return "arn:aws:lambda:" + region + ":000000000000:function:" + functionName;
    }

    /** Every line the function logged through this context, trailing white space removed. */
    public List<String> logLines() {
        return List.copyOf(logLines);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/[$LATEST]" + requestId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, (deadlineNanos - nanoClock.getAsLong()) / 1_000_000);
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
