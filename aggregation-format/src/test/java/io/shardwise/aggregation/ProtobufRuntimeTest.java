package io.shardwise.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Proves which protobuf-java runtime this test run loaded: the build runs every test of this module
 * once against protobuf-java 3.x (what main is compiled against) and once against 4.x.
 */
class ProtobufRuntimeTest {

    @Test
    void loadsTheExpectedProtobufRuntime() throws Exception {
        String expected = expectedVersion();
        Path jar = Path.of(CodedInputStream.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String bundleVersion;
        try (JarFile file = new JarFile(jar.toFile())) {
            bundleVersion = file.getManifest().getMainAttributes().getValue("Bundle-Version");
        }
        System.out.println("protobuf-java runtime: " + jar.getFileName() + ", Bundle-Version " + bundleVersion
                + ", expected " + expected);

        assertThat(jar.getFileName().toString()).isEqualTo("protobuf-java-" + expected + ".jar");
        assertThat(bundleVersion).isEqualTo(expected);
        assertThat(hasRuntimeVersionClass()).as("com.google.protobuf.RuntimeVersion exists only in 4.x")
                .isEqualTo(expected.startsWith("4."));
    }

    @Test
    void theCodecWorksOnThisRuntime() {
        KinesisRecord aggregate = Aggregates.aggregate(java.util.List.of(
                new UserRecord("k1", null, new byte[] {1}), new UserRecord("k2", "3", new byte[] {2})));
        Deaggregation result = Deaggregator.deaggregate("a", null, aggregate.data(), "1", null);
        assertThat(result.records()).extracting(DeaggregatedRecord::partitionKey).containsExactly("k1", "k2");
    }

    private static boolean hasRuntimeVersionClass() {
        try {
            Class.forName("com.google.protobuf.RuntimeVersion");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static String expectedVersion() throws IOException, URISyntaxException {
        String fromBuild = System.getProperty("expected.protobuf.version");
        if (fromBuild != null && !fromBuild.isBlank()) {
            return fromBuild;
        }
        Properties defaults = new Properties();
        try (InputStream in = ProtobufRuntimeTest.class.getResourceAsStream("/protobuf-runtime.properties")) {
            defaults.load(in);
        }
        return defaults.getProperty("expected.protobuf.version");
    }
}
