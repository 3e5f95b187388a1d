package io.shardwise.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.google.protobuf.CodedInputStream;
import io.shardwise.aggregation.Deaggregator;
import io.shardwise.kinesis.SequencePosition;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The adapter on the classpath a function has without the optional dependencies (no DynamoDB
 * client, no Kinesis client, no Jackson): handlers run, aggregates included, and {@code json()}
 * says what to add.
 */
class OptionalDependenciesTest {

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    private static URLClassLoader withoutOptionalDependencies() {
        return new URLClassLoader(new URL[] {location(KinesisBatchHandler.class), location(Deaggregator.class),
                location(SequencePosition.class),
                location(CodedInputStream.class), location(RequestHandler.class), location(KinesisEvent.class),
                location(IsolatedHandlerRun.class)},
                ClassLoader.getPlatformClassLoader());
    }

    @Test
    void theOptionalDependenciesAreReallyAbsentFromTheIsolatedClasspath() throws Exception {
        try (URLClassLoader loader = withoutOptionalDependencies()) {
            assertThat(canLoad(loader, "com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
            assertThat(canLoad(loader, "software.amazon.awssdk.services.dynamodb.DynamoDbClient")).isFalse();
            assertThat(canLoad(loader, ShardRangeFilter.KINESIS_CLIENT_CLASS)).isFalse();
            assertThat(canLoad(loader, KinesisBatchHandler.class.getName())).isTrue();
        }
    }

    @Test
    void jsonWithoutJacksonNamesTheMissingArtifact() throws Exception {
        try (URLClassLoader loader = withoutOptionalDependencies()) {
            Class<?> recordType = loader.loadClass(KinesisUserRecord.class.getName());
            Object record = recordType.getConstructors()[0].newInstance("arn", "shardId-0", "k", null,
                    "{}".getBytes(StandardCharsets.UTF_8), "1", 0L, Instant.EPOCH, false);
            Method json = recordType.getMethod("json", Class.class);
            try {
                json.invoke(record, Object.class);
                throw new AssertionError("json() worked without Jackson");
            } catch (InvocationTargetException e) {
                assertThat(e.getCause()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("com.fasterxml.jackson.core:jackson-databind");
            }
            assertThat(recordType.getMethod("text").invoke(record)).isEqualTo("{}");
        }
    }

    @Test
    void aHandlerRunsAnEventWithoutTheOptionalDependencies() throws Exception {
        try (URLClassLoader loader = withoutOptionalDependencies()) {
            Class<?> probe = loader.loadClass(IsolatedHandlerRun.class.getName());
            assertThat(probe).isNotSameAs(IsolatedHandlerRun.class);
            Object failures = probe.getMethod("run").invoke(null);
            assertThat(failures).isEqualTo(0);
        }
    }

    private static boolean canLoad(ClassLoader loader, String name) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
