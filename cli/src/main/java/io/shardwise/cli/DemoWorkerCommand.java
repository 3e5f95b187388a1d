package io.shardwise.cli;

import io.shardwise.consumer.ShardwiseConsumer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code shardwise demo-worker}: the demo's consumer worker in a child JVM (hidden; the demo starts
 * it). Prints {@code STARTED}, then one line per delivery, {@code R <shardId> <epochMillis> <payload>},
 * flushed before each checkpoint. Closes gracefully when its standard input ends (the demo is gone).
 */
@Command(name = "demo-worker", hidden = true, mixinStandardHelpOptions = true,
        description = "A demo consumer worker in its own JVM (started by 'shardwise demo').")
final class DemoWorkerCommand implements Callable<Integer> {

    static final String STARTED = "STARTED";
    static final String DELIVERY = "R ";

    @Option(names = "--stream", required = true)
    String stream;

    @Option(names = "--table", required = true)
    String table;

    @Option(names = "--worker-id", required = true)
    String workerId;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws IOException {
        Target target = Target.chosen(connection, Map.of());
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        DemoProcessor.Sink sink = new DemoProcessor.Sink() {
            @Override
            public void delivered(String shardId, long receivedMillis, byte[] data) {
                String line = DELIVERY + shardId + " " + receivedMillis + " " + new String(data, StandardCharsets.UTF_8);
                synchronized (out) {
                    out.println(line);
                }
            }

            @Override
            public void flush() {
                synchronized (out) {
                    out.flush();
                }
            }
        };
        try (ShardwiseConsumer consumer = DemoWorkers.consumer(target, stream, table, workerId, sink)) {
            consumer.start();
            synchronized (out) {
                out.println(STARTED);
                out.flush();
            }
            while (System.in.read() >= 0) {
                // the demo never writes: end of input means it is gone
            }
        }
        return 0;
    }
}
