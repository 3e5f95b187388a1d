package io.shardwise.benchmarks.fleet;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's HTTP server on the loopback address at a free port, one handler for every path, on a fixed
 * pool of daemon threads (a harness that ends must not wait for it), with TCP_NODELAY: the callers
 * send small requests and wait for each answer.
 */
final class LoopbackHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;

    /** Serves {@code handler} on {@code threads} threads named {@code threadName}, {@code backlog} connections queued. */
    LoopbackHttpServer(HttpHandler handler, String threadName, int threads, int backlog) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.threads = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
        server.createContext("/", handler);
        server.setExecutor(this.threads);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
