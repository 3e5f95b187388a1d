package io.shardwise.testkit.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void picksDistinctPortsThatCanBeBound() throws IOException {
        List<Integer> ports = FreePorts.pick(3);

        assertThat(ports).hasSize(3).doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).isBetween(1, 65535));
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("0.0.0.0", port));
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void rejectsACountBelowOne() {
        assertThatThrownBy(() -> FreePorts.pick(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port count must be at least 1, was 0");
    }
}
