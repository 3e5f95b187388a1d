package io.shardwise.lambda.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.google.protobuf.CodedInputStream;
import io.shardwise.aggregation.Deaggregator;
import io.shardwise.aggregation.RecordAggregator;
import io.shardwise.lambda.KinesisBatchHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Cold start and deployment size of a minimal Shardwise Lambda handler.
 *
 * <p>Builds the deployment jar a shade plugin would (lambda-adapter + aggregation-format +
 * protobuf-java + aws-lambda-java-core/events and what events pulls in, plus the handler), prints
 * its size, then starts fresh JVMs ({@code -Xshare:auto}, the default) on that jar alone and
 * prints the time from main() to the end of the first invocation, the JVM uptime then, and the
 * classes loaded (counted from {@code -Xlog:class+load}), for {@link MinimalHandler} and for the
 * baseline {@link PlainEventsHandler} without Shardwise. The child JVMs have neither Jackson nor
 * the DynamoDB client: the adapter must run without its optional dependencies.
 *
 * <p>Run: {@code ./mvnw -B -q -pl lambda-adapter test-compile exec:java
 * -Dexec.mainClass=io.shardwise.lambda.bench.ColdStartBenchmark -Dexec.classpathScope=test}
 */
public final class ColdStartBenchmark {

    private static final int RUNS = 7;

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "lambda-adapter/target").toAbsolutePath();
        Files.createDirectories(out);
        List<Path> sources = List.of(
                location(KinesisBatchHandler.class), location(Deaggregator.class), location(CodedInputStream.class),
                location(RequestHandler.class), location(KinesisEvent.class), location(org.joda.time.DateTime.class));
        List<String> handlerClasses = List.of(MinimalHandler.class, PlainEventsHandler.class, ColdStartProbe.class)
                .stream().map(c -> c.getName().replace('.', '/') + ".class").toList();

        Path full = out.resolve("minimal-handler-deployment.jar");
        long fullBytes = buildJar(full, sources, handlerClasses);
        Path lean = out.resolve("minimal-handler-deployment-without-joda.jar");
        long leanBytes = buildJar(lean, sources.subList(0, 5), handlerClasses);
        System.out.printf("deployment jar, shaded (adapter + aggregation-format + protobuf + lambda core/events + joda-time): %,d bytes%n", fullBytes);
        System.out.printf("deployment jar without joda-time (events' dependency, unused by Kinesis events): %,d bytes%n", leanBytes);
        for (Path source : sources) {
            System.out.printf("  %-60s %,d bytes%n", source.getFileName(), sizeOf(source));
        }
        Path minimized = out.resolve("minimal-handler-deployment-minimized.jar");
        int[] kept = minimize(lean, minimized);
        System.out.printf("deployment jar minimized like shade's minimizeJar (classes statically reachable from the "
                + "handler and the adapter, DynamoDB helpers left out): %,d bytes, %d of %d classes%n",
                Files.size(minimized), kept[0], kept[1]);

        String aggregate = Base64.getEncoder().encodeToString(aggregateOf(10));
        report("MinimalHandler, minimized jar", minimized, MinimalHandler.class, aggregate);
        for (Class<?> handler : List.of(MinimalHandler.class, PlainEventsHandler.class)) {
            report(handler.getSimpleName(), lean, handler, aggregate);
        }
    }

    /** Runs the probe in fresh JVMs on {@code jar} and prints the figures. */
    private static void report(String label, Path jar, Class<?> handler, String aggregate) throws Exception {
        List<Double> coldMillis = new ArrayList<>();
        List<Double> uptimeMillis = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            // The figures are the last line: the handler may log before it (a once-per-container note).
            String[] lines = runProbe(jar, handler.getName(), aggregate, null).trim().split("\n");
            String[] figures = lines[lines.length - 1].trim().split(" ");
            coldMillis.add(Double.parseDouble(figures[0]));
            uptimeMillis.add(Double.parseDouble(figures[1]));
        }
        Path classLog = Files.createTempFile("class-load", ".log");
        runProbe(jar, handler.getName(), aggregate, classLog);
        List<String> loaded = Files.readAllLines(classLog);
        long fromJar = loaded.stream().filter(l -> l.contains("source: file:")).count();
        Files.delete(classLog);
        System.out.printf("%s: main() to first response median %.1f ms (min %.1f, max %.1f) over %d fresh JVMs; "
                        + "JVM uptime then median %.0f ms; %d classes loaded (%d from the deployment jar)%n",
                label, median(coldMillis), min(coldMillis), max(coldMillis), RUNS,
                median(uptimeMillis), loaded.size(), fromJar);
    }

    /**
     * Keeps the classes reachable from the handler classes and the adapter (without its DynamoDB
     * helpers), following jdeps' class-level dependencies; returns {kept, total}.
     */
    private static int[] minimize(Path jar, Path target) throws IOException {
        java.io.StringWriter report = new java.io.StringWriter();
        java.util.spi.ToolProvider jdeps = java.util.spi.ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("jdeps is not in this JDK"));
        int exit = jdeps.run(new java.io.PrintWriter(report), new java.io.PrintWriter(System.err),
                "-verbose:class", "-filter:none", "-cp", jar.toString(), jar.toString());
        if (exit != 0) {
            throw new IllegalStateException("jdeps failed with " + exit);
        }
        java.util.Map<String, Set<String>> edges = new java.util.HashMap<>();
        java.util.regex.Pattern edge = java.util.regex.Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)");
        for (String line : report.toString().split("\n")) {
            java.util.regex.Matcher m = edge.matcher(line);
            if (m.find()) {
                edges.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(m.group(2));
            }
        }
        try (JarFile in = new JarFile(jar.toFile())) {
            java.util.Map<String, JarEntry> classes = new java.util.HashMap<>();
            in.stream().filter(e -> e.getName().endsWith(".class"))
                    .forEach(e -> classes.put(e.getName().substring(0, e.getName().length() - 6).replace('/', '.'), e));
            java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
            classes.keySet().stream().filter(c -> c.startsWith("io.shardwise.lambda") && !c.contains("DynamoDb"))
                    .forEach(todo::add);
            Set<String> kept = new HashSet<>();
            while (!todo.isEmpty()) {
                String c = todo.pop();
                if (classes.containsKey(c) && kept.add(c)) {
                    todo.addAll(edges.getOrDefault(c, Set.of()));
                }
            }
            try (JarOutputStream outJar = new JarOutputStream(Files.newOutputStream(target))) {
                Set<String> seen = new HashSet<>();
                for (String c : kept) {
                    try (InputStream data = in.getInputStream(classes.get(c))) {
                        add(outJar, seen, classes.get(c).getName(), data.readAllBytes());
                    }
                }
            }
            return new int[] {kept.size(), classes.size()};
        }
    }

    private static byte[] aggregateOf(int records) {
        RecordAggregator aggregator = new RecordAggregator();
        for (int i = 0; i < records; i++) {
            aggregator.tryAdd("key-" + i, null, ("payload " + i).getBytes(StandardCharsets.UTF_8));
        }
        return aggregator.emit().data();
    }

    private static String runProbe(Path jar, String handler, String aggregate, Path classLog) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
        if (classLog != null) {
            command.add("-Xlog:class+load=info:file=" + classLog);
        }
        command.addAll(List.of("-cp", jar.toString(), ColdStartProbe.class.getName(), handler, aggregate));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("probe failed: " + output);
        }
        return output;
    }

    /** Merges jars and class directories into one jar, first entry wins (as a shade would). */
    private static long buildJar(Path target, List<Path> sources, List<String> extraClasses) throws IOException {
        Set<String> seen = new HashSet<>();
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target))) {
            for (Path source : sources) {
                if (Files.isDirectory(source)) {
                    try (Stream<Path> files = Files.walk(source)) {
                        for (Path file : files.filter(Files::isRegularFile).toList()) {
                            add(jar, seen, source.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                        }
                    }
                } else {
                    try (JarFile in = new JarFile(source.toFile())) {
                        for (JarEntry entry : in.stream().filter(e -> !e.isDirectory()).toList()) {
                            if (entry.getName().startsWith("META-INF/") && (entry.getName().endsWith(".SF")
                                    || entry.getName().endsWith(".RSA") || entry.getName().endsWith(".DSA")
                                    || entry.getName().equals("META-INF/MANIFEST.MF"))) {
                                continue;
                            }
                            try (InputStream data = in.getInputStream(entry)) {
                                add(jar, seen, entry.getName(), data.readAllBytes());
                            }
                        }
                    }
                }
            }
            Path testClasses = location(ColdStartBenchmark.class);
            for (String name : extraClasses) {
                add(jar, seen, name, Files.readAllBytes(testClasses.resolve(name)));
            }
        }
        return Files.size(target);
    }

    private static void add(JarOutputStream jar, Set<String> seen, String name, byte[] data) throws IOException {
        if (seen.add(name)) {
            jar.putNextEntry(new JarEntry(name));
            jar.write(data);
            jar.closeEntry();
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sizeOf(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return Files.size(path);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }
}
