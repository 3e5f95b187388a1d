package io.shardwise.it.cli;

import io.shardwise.testkit.engines.LocalEngines;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Runs the jars the build made (cli/target/shardwise.jar, samples/target/*.jar) in child JVMs, as a
 * user would: the integration tests check the deliverables, not just the classes.
 */
public final class JavaProcess {

    /** What a finished process printed. */
    public record Result(int exitCode, String out, String err) {
        public List<String> outLines() {
            return out.lines().toList();
        }

        public List<String> errLines() {
            return err.lines().toList();
        }
    }

    private JavaProcess() {
    }

    /** A jar of a sibling module (the tests run in integration-tests/). */
    public static Path builtJar(String module, String jar) {
        Path path = Path.of(System.getProperty("user.dir")).resolve("..").resolve(module).resolve("target").resolve(jar)
                .normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: build it first (./mvnw -B -DskipTests package)");
        }
        return path;
    }

    /** {@code java -jar shardwise.jar args...}, with no SHARDWISE_* endpoint variables. */
    public static ProcessBuilder shardwise(String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m", "-XX:+UseSerialGC", "-jar",
                builtJar("cli", "shardwise.jar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("SHARDWISE_KINESIS_ENDPOINT");
        builder.environment().remove("SHARDWISE_DYNAMODB_ENDPOINT");
        return builder;
    }

    /** {@code java -cp JAR mainClass args...}. */
    public static ProcessBuilder main(Path jar, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", jar.toString(),
                mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Points a child at the engines as {@code shardwise local} tells users to. */
    public static ProcessBuilder withEngines(ProcessBuilder builder, LocalEngines engines) {
        AwsCredentials credentials = engines.credentials().resolveCredentials();
        Map<String, String> env = builder.environment();
        env.put("SHARDWISE_KINESIS_ENDPOINT", engines.kinesisEndpoint().toString());
        env.put("SHARDWISE_DYNAMODB_ENDPOINT", engines.dynamoDbEndpoint().toString());
        env.put("AWS_REGION", engines.region().id());
        env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        return builder;
    }

    /** Starts the process, writes {@code stdin} and closes it, and waits for the end. */
    public static Result run(ProcessBuilder builder, String stdin, Duration timeout) {
        try {
            Process process = builder.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread outReader = copy(process.getInputStream(), out);
            Thread errReader = copy(process.getErrorStream(), err);
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException closedEarly) {
                // the process did not read its input: its output says why
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("process did not end within " + timeout + ": " + builder.command()
                        + "\nstdout: " + out.toString(StandardCharsets.UTF_8)
                        + "\nstderr: " + err.toString(StandardCharsets.UTF_8));
            }
            outReader.join(10_000);
            errReader.join(10_000);
            return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Thread copy(InputStream from, ByteArrayOutputStream to) {
        Thread thread = new Thread(() -> {
            try (from) {
                from.transferTo(to);
            } catch (IOException ended) {
                // the process is gone
            }
        }, "copy-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String java() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
