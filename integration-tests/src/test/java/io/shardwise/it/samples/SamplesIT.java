package io.shardwise.it.samples;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.lambda.LocalEventSourceMapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.shardwise.it.cli.JavaProcess;
import io.shardwise.lambda.KinesisUserRecord;
import io.shardwise.producer.KinesisProducer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each sample, from the jars the build made, against the local engines. */
@ShardwiseTest
class SamplesIT {

    private static final Pattern ORDER = Pattern.compile("\\{\"order\":(\\d+),\"customer\":\"(customer-\\d+)\"");
    private static final int ORDERS = 300;

    @Test
    @StreamShards(2)
    void theProducerSampleWritesOrdersAndTheWorkerSampleProcessesEachInOrder(LocalEngines engines, TestStream stream)
            throws Exception {
        produceAndProcessOrders("io.shardwise.samples.SampleWorker", engines, stream);
    }

    @Test
    @StreamShards(2)
    void theKclProcessorSampleRunsOnShardwiseAndProcessesEachOrderInOrder(LocalEngines engines, TestStream stream)
            throws Exception {
        produceAndProcessOrders("io.shardwise.samples.SampleKclWorker", engines, stream);
    }

    /** The producer sample writes orders; the worker sample {@code workerClass} prints each, in order per customer. */
    private static void produceAndProcessOrders(String workerClass, LocalEngines engines, TestStream stream)
            throws Exception {
        Path jar = JavaProcess.builtJar("samples", "shardwise-samples.jar");
        JavaProcess.Result produced = JavaProcess.run(JavaProcess.withEngines(
                JavaProcess.main(jar, "io.shardwise.samples.SampleProducer", stream.name(), Integer.toString(ORDERS)),
                engines), "", Duration.ofMinutes(2));
        assertThat(produced.exitCode()).as(produced.err()).isZero();
        assertThat(produced.outLines()).containsExactly("sent " + ORDERS + " of " + ORDERS + " orders to " + stream.name()
                + " on " + engines.kinesisEndpoint());

        Path workerLog = Files.createTempFile("sample-worker-", ".log");
        Process worker = JavaProcess.withEngines(JavaProcess.main(jar, workerClass,
                engines.uniqueName("sample-app"), stream.name()), engines).redirectError(workerLog.toFile()).start();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    out.lines().forEach(lines::add);
                } catch (IOException | UncheckedIOException ended) {
                    // the worker is gone
                }
            }, "sample-worker-output");
            reader.setDaemon(true);
            reader.start();
            Map<String, List<Integer>> byCustomer = new LinkedHashMap<>();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            int seen = 0;
            while (seen < ORDERS && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    continue;
                }
                Matcher order = ORDER.matcher(line);
                assertThat(order.find()).as(line).isTrue();
                byCustomer.computeIfAbsent(order.group(2), c -> new ArrayList<>()).add(Integer.parseInt(order.group(1)));
                seen++;
            }
            assertThat(seen).as("orders processed; worker log:%n%s", Files.readString(workerLog)).isEqualTo(ORDERS);
            assertThat(byCustomer).hasSize(20);
            byCustomer.values().forEach(orders -> assertThat(orders).isSorted().doesNotHaveDuplicates());

            worker.destroy();
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("the worker stops gracefully on SIGTERM").isTrue();
            assertThat(Files.readString(workerLog)).contains("closed")
                    .doesNotContain("cannot checkpoint").doesNotContain("checkpoint failed");
        } finally {
            worker.destroyForcibly();
            Files.deleteIfExists(workerLog);
        }
    }

    @Test
    @StreamShards(2)
    @SuppressWarnings("unchecked")
    void theLambdaSampleFromItsDeploymentJarHandlesEveryAggregatedOrder(LocalEngines engines, TestStream stream)
            throws Exception {
        Path jar = JavaProcess.builtJar("samples", "shardwise-sample-lambda.jar");
        try (JarFile deployment = new JarFile(jar.toFile())) {
            for (String needed : List.of("io/shardwise/samples/SampleLambdaHandler.class",
                    "io/shardwise/lambda/KinesisBatchHandler.class", "io/shardwise/aggregation/Deaggregator.class",
                    "com/amazonaws/services/lambda/runtime/events/KinesisEvent.class",
                    "com/amazonaws/services/lambda/runtime/RequestHandler.class")) {
                assertThat(deployment.getEntry(needed)).as("the deployment jar carries " + needed).isNotNull();
            }
        }
        List<KinesisUserRecord> handled = new CopyOnWriteArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            RequestHandler<KinesisEvent, ?> handler = (RequestHandler<KinesisEvent, ?>) loader
                    .loadClass("io.shardwise.samples.SampleLambdaHandler").getConstructor(Consumer.class)
                    .newInstance((Consumer<KinesisUserRecord>) handled::add);

            try (KinesisProducer producer = KinesisProducer.builder().stream(stream.name())
                    .client(engines.kinesisAsyncClient()).build()) {
                producer.ready().get(30, TimeUnit.SECONDS);
                for (int i = 0; i < ORDERS; i++) {
                    String order = "{\"order\":" + i + ",\"customer\":\"customer-" + (i % 20) + "\",\"amountCents\":1}";
                    producer.send("customer-" + (i % 20), order.getBytes(StandardCharsets.UTF_8));
                }
                producer.flush().get(60, TimeUnit.SECONDS);
            }
            try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(engines.kinesisClient(), stream.arn(),
                    handler).reportBatchItemFailures(true).start()) {
                mapping.awaitIdle(Duration.ofMinutes(1));
            }
        }
        assertThat(handled).hasSize(ORDERS);
        assertThat(handled).anyMatch(KinesisUserRecord::aggregated);
        Map<String, List<Integer>> byCustomer = new LinkedHashMap<>();
        for (KinesisUserRecord record : handled) {
            Matcher order = ORDER.matcher(record.text());
            assertThat(order.find()).isTrue();
            assertThat(order.group(2)).isEqualTo(record.partitionKey());
            byCustomer.computeIfAbsent(record.partitionKey(), c -> new ArrayList<>()).add(Integer.parseInt(order.group(1)));
        }
        byCustomer.values().forEach(orders -> assertThat(orders).isSorted().doesNotHaveDuplicates());
    }
}
