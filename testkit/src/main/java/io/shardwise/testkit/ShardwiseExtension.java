package io.shardwise.testkit;

import io.shardwise.testkit.engines.LocalEngines;

import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * JUnit 5 extension that runs tests against {@link LocalEngines#shared()}: the engines start once
 * per test JVM. It injects parameters by type:
 * <ul>
 *   <li>{@link LocalEngines}: the shared engines;</li>
 *   <li>{@link TestStream}: a fresh stream for this test, ACTIVE, with the shard count of
 *       {@link StreamShards} (default 1), deleted after the test;</li>
 *   <li>{@link LeaseTableName}: a fresh table name for this test (the table is not created; if the
 *       test creates it, it is deleted after the test);</li>
 *   <li>{@link KinesisClient}, {@link KinesisAsyncClient} (HTTP/1.1), {@link DynamoDbClient},
 *       {@link DynamoDbAsyncClient}: the shared engines' clients.</li>
 * </ul>
 * Within one test (its {@code @BeforeEach}, the test, its {@code @AfterEach}) every
 * {@code TestStream} or {@code LeaseTableName} parameter is the same value.
 */
public final class ShardwiseExtension implements ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(ShardwiseExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ShardwiseExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalEngines.class || type == TestStream.class || type == LeaseTableName.class
                || type == KinesisClient.class || type == KinesisAsyncClient.class
                || type == DynamoDbClient.class || type == DynamoDbAsyncClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        LocalEngines engines = LocalEngines.shared();
        if (type == LocalEngines.class) {
            return engines;
        }
        if (type == KinesisClient.class) {
            return engines.kinesisClient();
        }
        if (type == KinesisAsyncClient.class) {
            return engines.kinesisAsyncClient();
        }
        if (type == DynamoDbClient.class) {
            return engines.dynamoDbClient();
        }
        if (type == DynamoDbAsyncClient.class) {
            return engines.dynamoDbAsyncClient();
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (type == LeaseTableName.class) {
            return store.getOrComputeIfAbsent(TableResource.class,
                    key -> new TableResource(engines, new LeaseTableName(engines.uniqueName("leases-" + simpleName(context)))),
                    TableResource.class).table();
        }
        if (type == TestStream.class) {
            return store.getOrComputeIfAbsent(StreamResource.class,
                    key -> StreamResource.create(engines, simpleName(context), shardCount(context)),
                    StreamResource.class).stream();
        }
        throw new ParameterResolutionException("ShardwiseExtension cannot inject " + type.getName());
    }

    /** @StreamShards of the test method, else of its class or an enclosing class, else 1. */
    static int shardCount(ExtensionContext context) {
        Optional<StreamShards> annotation = context.getTestMethod()
                .flatMap(method -> AnnotationSupport.findAnnotation(method, StreamShards.class));
        for (Optional<Class<?>> type = context.getTestClass(); annotation.isEmpty() && type.isPresent();
             type = Optional.ofNullable(type.get().getEnclosingClass())) {
            annotation = AnnotationSupport.findAnnotation((AnnotatedElement) type.get(), StreamShards.class);
        }
        int shards = annotation.map(StreamShards::value).orElse(1);
        if (shards < 1) {
            throw new ParameterResolutionException("@StreamShards needs at least 1 shard, was " + shards
                    + " on " + context.getDisplayName());
        }
        return shards;
    }

    private static String simpleName(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.getName())
                .orElseGet(() -> context.getTestClass().map(Class::getSimpleName).orElse("test"));
    }

    /**
     * A test's lease table name; the table, and the tables named after it (a consumer's worker table,
     * {@code <lease table>-...}), if the test created them, are deleted when the test's context closes.
     */
    private record TableResource(LocalEngines engines, LeaseTableName table)
            implements ExtensionContext.Store.CloseableResource {

        @Override
        public void close() {
            List<String> names;
            try {
                names = engines.dynamoDbClient().listTablesPaginator().tableNames().stream().toList();
            } catch (RuntimeException e) {
                LOG.debug("could not list the test tables of {}", table.value(), e);
                return;
            }
            for (String name : names) {
                if (!name.equals(table.value()) && !name.startsWith(table.value() + "-")) {
                    continue;
                }
                try {
                    engines.dynamoDbClient().deleteTable(b -> b.tableName(name));
                } catch (ResourceNotFoundException goneMeanwhile) {
                    // deleted by the test itself
                } catch (RuntimeException e) {
                    LOG.debug("could not delete test table {}", name, e);
                }
            }
        }
    }

    /** A test's stream, deleted when the test's extension context closes. */
    private record StreamResource(LocalEngines engines, TestStream stream)
            implements ExtensionContext.Store.CloseableResource {

        static StreamResource create(LocalEngines engines, String testName, int shards) {
            String name = engines.uniqueName(testName);
            String arn = engines.createStream(name, shards);
            return new StreamResource(engines, new TestStream(name, arn, shards));
        }

        @Override
        public void close() {
            // Deleting frees kinesis-mock's memory for the rest of the run; a failure must not fail the test.
            try {
                engines.kinesisClient().deleteStream(b -> b.streamName(stream.name()).enforceConsumerDeletion(true));
            } catch (RuntimeException e) {
                LOG.debug("could not delete test stream {}", stream.name(), e);
            }
        }
    }
}
