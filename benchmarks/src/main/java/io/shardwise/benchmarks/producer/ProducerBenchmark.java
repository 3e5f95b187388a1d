package io.shardwise.benchmarks.producer;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Our producer against the real KPL 1.1.1, each in its own JVM, sending the same 100-byte records with
 * the same 10,007 partition keys to a fast fake Kinesis of 4 shards (aggregation on), so the figures
 * are the clients' own cost. Prints user records per second, CPU seconds per million user records and
 * peak resident memory (the KPL's JVM plus its native daemon).
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *     io.shardwise.benchmarks.producer.ProducerBenchmark [warmupSeconds] [measureSeconds] [runs...]
 * </pre>
 * Runs: {@code shardwise-unordered}, {@code shardwise-ordered}, {@code kpl} (default: all three).
 */
public final class ProducerBenchmark {
    private ProducerBenchmark() {}

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int measure = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<String> runs = args.length > 2 ? List.of(args).subList(2, args.length)
                : List.of("shardwise-unordered", "shardwise-ordered", "kpl");
        List<String> results = new ArrayList<>();
        try (FakeKinesisEndpoint endpoint = new FakeKinesisEndpoint(ProducerLoad.SHARDS)) {
            for (String run : runs) {
                results.add(runChild(run, endpoint, warmup, measure));
            }
        }
        System.out.println();
        System.out.printf("%-22s %14s %22s %14s%n", "producer", "records/s", "CPU s / 1M records", "peak RSS MiB");
        results.forEach(System.out::println);
    }

    private static String runChild(String run, FakeKinesisEndpoint endpoint, int warmup, int measure) throws Exception {
        String java = new File(System.getProperty("java.home"), "bin/java").getPath();
        int port = run.equals("kpl") ? endpoint.tlsPort() : endpoint.plainPort();
        // The same JVM options for both (-Dbench.jvm="..." to change them). Our producer speaks CBOR,
        // the Java SDK's default for Kinesis; the KPL's daemon speaks JSON.
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(System.getProperty("bench.jvm", "-Xmx160m -XX:+UseSerialGC").split(" ")));
        command.addAll(List.of(
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                ProducerLoad.class.getName(), run, String.valueOf(port), String.valueOf(warmup), String.valueOf(measure)));
        System.out.println("[" + run + "] " + String.join(" ", command.subList(0, command.indexOf("-cp"))));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(ProducerLoad.RESULT)) {
                    result = line.substring(ProducerLoad.RESULT.length());
                } else {
                    System.out.println("[" + run + "] " + line);
                }
            }
        }
        int exit = process.waitFor();
        if (result == null || exit != 0) {
            throw new IllegalStateException(run + " ended with exit code " + exit + " and no result");
        }
        return result;
    }
}
