package io.shardwise.testkit.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

class LocalEnginesClientsTest {

    private static final String HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

    @Test
    void theHttp2ClientSpeaksHttp2WithPriorKnowledgeOverPlainHttp() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             KinesisAsyncClient client = LocalEngines.newKinesisAsyncClient(
                     URI.create("http://127.0.0.1:" + server.getLocalPort()), Protocol.HTTP2)) {
            CompletableFuture<?> call = client.listStreams();
            try (Socket connection = server.accept()) {
                InputStream in = connection.getInputStream();
                byte[] preface = in.readNBytes(HTTP2_PREFACE.length());
                assertThat(new String(preface, StandardCharsets.US_ASCII)).isEqualTo(HTTP2_PREFACE);
            } finally {
                call.cancel(true);
            }
        }
    }

    @Test
    void uniqueNamesAreSafeForStreamsAndTablesAndNeverRepeat() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            names.add(LocalEngines.newUniqueName("my stream/" + i % 3));
        }
        assertThat(names).hasSize(1000)
                .allSatisfy(n -> assertThat(n).matches("my-stream-[0-2]-[0-9a-z]+-[0-9]+").hasSizeLessThan(129));
        assertThat(LocalEngines.newUniqueName("x".repeat(300))).hasSizeLessThan(129);
        assertThat(LocalEngines.newUniqueName(null)).startsWith("shardwise-");
    }
}
