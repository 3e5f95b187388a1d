package io.shardwise.testkit.engines;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code node} and {@code npm} executables that install and run kinesis-mock. */
record NodeToolchain(Path node, Path npm) {

    static final int MINIMUM_NODE_MAJOR = 18;

    private static final Pattern NODE_VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");

    /**
     * Finds node and npm on the PATH of {@code env} (the process environment in production; a test
     * passes its own). Throws a {@link LocalEngineException} that says what to install, or which
     * variable to set instead, when either is missing.
     */
    static NodeToolchain locate(Map<String, String> env) {
        String path = pathOf(env);
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        Optional<Path> node = find(path, windows ? List.of("node.exe", "node.cmd") : List.of("node"));
        Optional<Path> npm = find(path, windows ? List.of("npm.cmd", "npm.exe") : List.of("npm"));
        if (node.isEmpty() || npm.isEmpty()) {
            String missing = node.isEmpty() && npm.isEmpty() ? "node and npm were" : node.isEmpty() ? "node was" : "npm was";
            throw new LocalEngineException(missing + " not found on the PATH (" + path + "). "
                    + "The local Kinesis engine (kinesis-mock, npm package kinesis-local) needs Node.js "
                    + MINIMUM_NODE_MAJOR + "+ with npm: install it from https://nodejs.org or your package manager, "
                    + "or set " + EnginePlan.KINESIS_ENDPOINT_VARIABLE
                    + " to an existing Kinesis endpoint (for example a running LocalStack, http://127.0.0.1:4566).");
        }
        return new NodeToolchain(node.get(), npm.get());
    }

    /** Runs {@code node --version} and rejects a Node.js older than {@link #MINIMUM_NODE_MAJOR}. */
    void requireSupportedVersion() {
        String output;
        try {
            Process process = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
            process.getOutputStream().close();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new LocalEngineException("'" + node + " --version' did not answer within 30 s");
            }
        } catch (IOException e) {
            throw new LocalEngineException("could not run '" + node + " --version': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalEngineException("interrupted while checking the Node.js version", e);
        }
        int major = majorVersion(output);
        if (major < MINIMUM_NODE_MAJOR) {
            throw new LocalEngineException("Node.js at " + node + " is version '" + output + "', the local Kinesis "
                    + "engine needs Node.js " + MINIMUM_NODE_MAJOR + "+: upgrade it, or set "
                    + EnginePlan.KINESIS_ENDPOINT_VARIABLE + " to an existing Kinesis endpoint.");
        }
    }

    /** The major version in {@code node --version} output, or -1 when it cannot be read. */
    static int majorVersion(String versionOutput) {
        Matcher matcher = NODE_VERSION.matcher(versionOutput);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    private static String pathOf(Map<String, String> env) {
        // Windows spells it "Path"; a Map from System.getenv() is case-insensitive there, a test map is not.
        for (Map.Entry<String, String> entry : env.entrySet()) {
            if (entry.getKey().equalsIgnoreCase("PATH")) {
                return entry.getValue();
            }
        }
        return "";
    }

    private static Optional<Path> find(String path, List<String> names) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String name : names) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            }
        }
        return Optional.empty();
    }
}
