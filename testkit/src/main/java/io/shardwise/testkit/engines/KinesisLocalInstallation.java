package io.shardwise.testkit.engines;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * kinesis-mock installed by {@code npm ci} from the package-lock.json shipped in this jar, once
 * per lockfile into a cache directory shared by every JVM of the user.
 *
 * <p>The directory name carries a hash of the shipped files, so a new lockfile installs beside
 * the old one instead of over it. Parallel test JVMs serialise on an OS file lock; the first
 * installs, and the others find the marker it wrote after success.
 */
final class KinesisLocalInstallation {

    static final String CACHE_DIR_VARIABLE = "SHARDWISE_CACHE_DIR";

    private static final String RESOURCE_DIR = "kinesis-local/";
    private static final List<String> SHIPPED_FILES = List.of("package.json", "package-lock.json", "launcher.js");
    private static final String MARKER = ".shardwise-installed";
    private static final long NPM_TIMEOUT_MINUTES = 10;

    /** Threads of one JVM must not both ask for the OS lock: a FileChannel lock is per process. */
    private static final Object JVM_LOCK = new Object();

    private final Path directory;
    private boolean installedByThisCall;

    KinesisLocalInstallation(Path directory) {
        this.directory = directory;
    }

    /** Installs kinesis-mock if this lockfile has not been installed yet, and returns it. */
    static KinesisLocalInstallation ensureInstalled(NodeToolchain toolchain, Map<String, String> env) {
        Path dir = cacheRoot(env).resolve("kinesis-local-" + contentHash());
        synchronized (JVM_LOCK) {
            try {
                Files.createDirectories(dir);
                try (FileChannel channel = FileChannel.open(dir.resolve(".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    KinesisLocalInstallation installation = new KinesisLocalInstallation(dir);
                    if (!installation.isComplete()) {
                        installation.install(toolchain);
                        installation.installedByThisCall = true;
                    }
                    return installation;
                }
            } catch (IOException e) {
                throw new LocalEngineException("could not install kinesis-mock into " + dir + ": " + e, e);
            }
        }
    }

    /** {@code $SHARDWISE_CACHE_DIR}, else {@code ~/.cache/shardwise}. */
    static Path cacheRoot(Map<String, String> env) {
        String configured = env.get(CACHE_DIR_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "shardwise");
    }

    Path directory() {
        return directory;
    }

    /** Whether this call ran {@code npm ci}, rather than finding an earlier installation. */
    boolean installedByThisCall() {
        return installedByThisCall;
    }

    Path launcher() {
        return directory.resolve("launcher.js");
    }

    Path mainScript() {
        return directory.resolve("node_modules").resolve("kinesis-local").resolve("main.js");
    }

    /** The TLS certificate kinesis-mock ships beside main.js; without it its TLS server fails. */
    Path certificate() {
        return mainScript().resolveSibling("server.json");
    }

    private boolean isComplete() {
        return Files.exists(directory.resolve(MARKER)) && Files.exists(mainScript()) && Files.exists(launcher());
    }

    private void install(NodeToolchain toolchain) throws IOException {
        toolchain.requireSupportedVersion();
        for (String file : SHIPPED_FILES) {
            try (InputStream in = resource(file)) {
                Files.copy(in, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path log = directory.resolve("npm-ci.log");
        ProcessBuilder builder = new ProcessBuilder(toolchain.npm().toString(), "ci", "--no-audit", "--no-fund")
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process npm = builder.start();
        npm.getOutputStream().close();
        try {
            if (!npm.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                npm.destroyForcibly().waitFor();
                throw new LocalEngineException("'npm ci' in " + directory + " did not finish within "
                        + NPM_TIMEOUT_MINUTES + " minutes; " + LogTail.of(log, 30));
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LocalEngineException("interrupted while 'npm ci' installed kinesis-mock", e);
        }
        if (npm.exitValue() != 0 || !Files.exists(mainScript())) {
            throw new LocalEngineException("'npm ci' in " + directory + " failed with exit code " + npm.exitValue()
                    + " (is the npm registry reachable?); " + LogTail.of(log, 30));
        }
        Files.writeString(directory.resolve(MARKER), "kinesis-local installed by Shardwise\n");
    }

    private static InputStream resource(String file) {
        InputStream in = KinesisLocalInstallation.class.getResourceAsStream(RESOURCE_DIR + file);
        if (in == null) {
            throw new IllegalStateException("the testkit jar lacks its resource " + RESOURCE_DIR + file);
        }
        return in;
    }

    /** First 16 hex digits of the SHA-256 of every shipped file. */
    static String contentHash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String file : SHIPPED_FILES) {
                try (InputStream in = resource(file)) {
                    digest.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
