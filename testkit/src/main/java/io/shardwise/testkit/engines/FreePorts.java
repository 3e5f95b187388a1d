package io.shardwise.testkit.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks TCP ports that are free right now. Another process may still take a port between the pick
 * and its use, so callers retry a start that fails with "address in use".
 */
final class FreePorts {

    private FreePorts() {
    }

    /** {@code count} distinct ports, each free on all interfaces at the moment of the call. */
    static List<Integer> pick(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("port count must be at least 1, was " + count);
        }
        // Hold every socket open until all are picked, so the OS cannot hand out one port twice.
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                held.add(socket);
                socket.setReuseAddress(false);
                // The engines bind 0.0.0.0, so the port must be free on the wildcard address.
                socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
                ports.add(socket.getLocalPort());
            }
            return List.copyOf(ports);
        } catch (IOException e) {
            throw new UncheckedIOException("could not pick " + count + " free TCP ports", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Closing a listening socket that never accepted cannot lose anything.
                }
            }
        }
    }

    static int pick() {
        return pick(1).get(0);
    }
}
