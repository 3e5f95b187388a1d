package io.shardwise.benchmarks.consumer;

import io.shardwise.testkit.engines.LocalEngines;

import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.RecordProcessor;
import io.shardwise.consumer.RetrievalMode;
import io.shardwise.consumer.ShardwiseConsumer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * End-to-end consumer figures against the local engines (kinesis-mock and DynamoDB Local), at
 * default settings, 4 shards, 50 records/s, side by side with the real KCL 3.5.1:
 * send-to-process latency p50/p99 (polling and fan-out), lease-table writes per lease per minute,
 * the processing gap at a graceful handoff, and the time until a SIGKILLed worker's shards process
 * again. Run: {@code java -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes"
 * io.shardwise.benchmarks.consumer.ConsumerBenchmark [seconds] [kcl|nokcl]}.
 */
public final class ConsumerBenchmark {
    private static final int SHARDS = 4;
    private static final int RATE = 50;

    private ConsumerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        boolean kcl = args.length < 2 || !args[1].equals("nokcl");
        try (LocalEngines engines = LocalEngines.start()) {
            pollingLatencyWritesAndHandoff(engines, seconds);
            fanOutLatency(engines, Math.max(20, seconds / 2));
            sigkillFailover(engines);
            if (kcl) {
                KclUnderLoad.latencyAndWrites(engines, seconds, SHARDS, RATE);
            }
        }
        System.exit(0);
    }

    static DynamoDbClient countingDynamo(LocalEngines engines, WriteCounter counter) {
        return DynamoDbClient.builder().endpointOverride(engines.dynamoDbEndpoint()).region(engines.region())
                .credentialsProvider(engines.credentials())
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(counter).build())
                .build();
    }

    /** A processor that records latency and checkpoints at the usual cadence, at shard end and at shutdown. */
    static RecordProcessor processor(Latencies latencies, Map<String, List<Long>> deliveries) {
        return new CheckpointingRecordProcessor(records -> {
            long now = System.currentTimeMillis();
            for (ConsumerRecord r : records) {
                latencies.record(TimedWriter.sentAt(r.data()));
                deliveries.computeIfAbsent(r.shardId(), s -> java.util.Collections.synchronizedList(
                        new ArrayList<>())).add(now);
            }
        });
    }

    private static void pollingLatencyWritesAndHandoff(LocalEngines engines, int seconds) throws Exception {
        String stream = engines.uniqueName("bench-polling");
        engines.createStream(stream, SHARDS);
        String app = engines.uniqueName("bench-app");
        WriteCounter writes = new WriteCounter();
        Latencies latencies = new Latencies();
        Map<String, List<Long>> deliveries = new ConcurrentHashMap<>();
        try (DynamoDbClient dynamo = countingDynamo(engines, writes);
             TimedWriter writer = new TimedWriter(engines.kinesisClient(), stream, RATE)) {
            ShardwiseConsumer a = consumer(engines, dynamo, stream, app, "a", RetrievalMode.POLLING, latencies,
                    deliveries);
            ShardwiseConsumer b = consumer(engines, dynamo, stream, app, "b", RetrievalMode.POLLING, latencies,
                    deliveries);
            long startedAt = System.nanoTime();
            a.start();
            b.start();
            while (a.heldShards().size() + b.heldShards().size() < SHARDS
                    || Math.abs(a.heldShards().size() - b.heldShards().size()) > 0) {
                Thread.sleep(100);
            }
            System.out.printf("FIGURE shardwise start to all %d shards held evenly by 2 workers: %d ms%n", SHARDS,
                    (System.nanoTime() - startedAt) / 1_000_000);
            double minutes = MeasurementWindow.run(writes, latencies, seconds);
            System.out.println("FIGURE shardwise polling latency (send to process): " + latencies.summary());
            System.out.printf("FIGURE shardwise lease-table writes per lease per minute: %.1f "
                    + "(liveness %.1f, checkpoints and lease changes %.1f; %d leases on 2 workers)%n",
                    writes.total() / minutes / SHARDS, writes.liveness.get() / minutes / SHARDS,
                    writes.other.get() / minutes / SHARDS, SHARDS);

            // Graceful handoff: A closes while records flow; B takes A's shards.
            Set<String> handed = a.heldShards();
            deliveries.clear();
            Thread.sleep(2_000);
            long closeAt = System.currentTimeMillis();
            a.close();
            while (b.heldShards().size() < SHARDS) {
                Thread.sleep(50);
            }
            Thread.sleep(3_000);
            long worst = 0;
            for (String shard : handed) {
                List<Long> times = new ArrayList<>(deliveries.getOrDefault(shard, List.of()));
                for (int i = 1; i < times.size(); i++) {
                    if (times.get(i) >= closeAt - 1_000) {
                        worst = Math.max(worst, times.get(i) - times.get(i - 1));
                    }
                }
            }
            System.out.printf("FIGURE shardwise processing gap at a graceful handoff (close of one of 2 workers, "
                    + "%d shards moved): longest pause %d ms (records arrive every ~%d ms per shard)%n",
                    handed.size(), worst, 1000 * SHARDS / RATE);
            // One worker holding all leases, the KCL run's shape.
            writes.reset();
            long aloneStart = System.nanoTime();
            Thread.sleep(Math.max(30, seconds / 2) * 1000L);
            double aloneMinutes = (System.nanoTime() - aloneStart) / 60e9;
            System.out.printf("FIGURE shardwise lease-table writes per lease per minute: %.1f "
                    + "(liveness %.1f, checkpoints and lease changes %.1f; %d leases on 1 worker)%n",
                    writes.total() / aloneMinutes / SHARDS, writes.liveness.get() / aloneMinutes / SHARDS,
                    writes.other.get() / aloneMinutes / SHARDS, SHARDS);
            b.close();
        }
    }

    private static ShardwiseConsumer consumer(LocalEngines engines, DynamoDbClient dynamo, String stream, String app,
                                              String worker, RetrievalMode mode, Latencies latencies,
                                              Map<String, List<Long>> deliveries) {
        KinesisAsyncClient kinesis = mode == RetrievalMode.FAN_OUT ? engines.kinesisHttp2AsyncClient()
                : engines.kinesisAsyncClient();
        return ShardwiseConsumer.builder().applicationName(app).streamName(stream).kinesisClient(kinesis)
                .dynamoDbClient(dynamo).workerId(worker).initialPosition(InitialPosition.latest())
                .retrievalMode(mode).processorFactory(shard -> processor(latencies, deliveries)).build();
    }

    private static void fanOutLatency(LocalEngines engines, int seconds) throws Exception {
        String stream = engines.uniqueName("bench-fanout");
        engines.createStream(stream, SHARDS);
        Latencies latencies = new Latencies();
        try (TimedWriter writer = new TimedWriter(engines.kinesisClient(), stream, RATE);
             ShardwiseConsumer c = consumer(engines, engines.dynamoDbClient(), stream, engines.uniqueName("bench-fo"),
                     "fo", RetrievalMode.FAN_OUT, latencies, new ConcurrentHashMap<>())) {
            c.start();
            while (c.heldShards().size() < SHARDS) {
                Thread.sleep(100);
            }
            Thread.sleep(5_000);
            latencies.recording(true);
            Thread.sleep(seconds * 1000L);
            latencies.recording(false);
            System.out.println("FIGURE shardwise fan-out latency (send to process): " + latencies.summary());
        }
    }

    private static void sigkillFailover(LocalEngines engines) throws Exception {
        String stream = engines.uniqueName("bench-kill");
        engines.createStream(stream, SHARDS);
        String app = engines.uniqueName("bench-kill-app");
        Map<String, Map<String, Long>> lastByWorker = new ConcurrentHashMap<>();
        List<Process> processes = new ArrayList<>();
        try (TimedWriter writer = new TimedWriter(engines.kinesisClient(), stream, RATE)) {
            for (String id : List.of("k1", "k2")) {
                Process p = new ProcessBuilder(javaCommand(engines, stream, app, id))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                processes.add(p);
                Map<String, Long> last = new ConcurrentHashMap<>();
                lastByWorker.put(id, last);
                Thread reader = new Thread(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                            StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            String[] f = line.split(" ");
                            if (f.length == 3 && f[0].equals("REC")) {
                                last.put(f[1], Long.parseLong(f[2]));
                            }
                        }
                    } catch (Exception ignored) {
                        // process ended
                    }
                });
                reader.setDaemon(true);
                reader.start();
            }
            // Both workers process two shards each, recently.
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && !(recentShards(lastByWorker.get("k1")) == 2
                    && recentShards(lastByWorker.get("k2")) == 2)) {
                Thread.sleep(200);
            }
            long now = System.currentTimeMillis();
            Set<String> victimShards = lastByWorker.get("k2").entrySet().stream()
                    .filter(e -> now - e.getValue() < 1_000).map(Map.Entry::getKey)
                    .collect(java.util.stream.Collectors.toSet());
            long killedAt = System.currentTimeMillis();
            processes.get(1).destroyForcibly();
            processes.get(1).waitFor(10, TimeUnit.SECONDS);
            Map<String, Long> survivor = lastByWorker.get("k1");
            Map<String, Long> resumed = new HashMap<>();
            while (resumed.size() < victimShards.size() && System.currentTimeMillis() < killedAt + 120_000) {
                for (String shard : victimShards) {
                    Long t = survivor.get(shard);
                    if (t != null && t > killedAt) {
                        resumed.putIfAbsent(shard, t);
                    }
                }
                Thread.sleep(20);
            }
            long worst = resumed.values().stream().mapToLong(t -> t - killedAt).max().orElse(-1);
            System.out.printf("FIGURE shardwise failover after SIGKILL (1 of 2 worker JVMs, %d shards): "
                    + "all processing again after %d ms%n", victimShards.size(), worst);
        } finally {
            for (Process p : processes) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static int recentShards(Map<String, Long> last) {
        long now = System.currentTimeMillis();
        return (int) last.values().stream().filter(t -> now - t < 1_000).count();
    }

    private static List<String> javaCommand(LocalEngines engines, String stream, String app, String id) {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        return List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                BenchWorkerMain.class.getName(), engines.kinesisEndpoint().toString(),
                engines.dynamoDbEndpoint().toString(), stream, app, id);
    }
}
