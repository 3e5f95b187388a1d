package io.shardwise.cli;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the demo shows while it runs. On a terminal: a frame redrawn in place (ANSI home and clear)
 * with counts, per-shard lag, leases per worker and the latest events. Otherwise: one log line per
 * event and a status line every few seconds.
 */
final class DemoView {

    private static final int EVENTS_SHOWN = 8;
    private static final int PLAIN_STATUS_EVERY = 5;

    private final PrintWriter out;
    private final boolean live;
    private final long startNanos = System.nanoTime();
    private final Deque<String> events = new ArrayDeque<>();
    private String header = "";
    private List<String> status = List.of();
    private int statusCalls;

    DemoView(PrintWriter out, boolean live) {
        this.out = out;
        this.live = live;
    }

    synchronized void header(String text) {
        header = text;
        if (!live) {
            out.println(text);
            out.flush();
        }
    }

    synchronized void event(String text) {
        String line = String.format(Locale.ROOT, "[%6.1fs] %s", seconds(), text);
        if (live) {
            events.addLast(line);
            while (events.size() > EVENTS_SHOWN) {
                events.removeFirst();
            }
            draw();
        } else {
            out.println(line);
            out.flush();
        }
    }

    /** Counts, lag by shard and leases by worker (a worker id mapped to its shards). */
    synchronized void status(DemoTally.Progress progress, Map<String, Set<String>> leases) {
        String counts = String.format(Locale.ROOT, "sent %d, processed %d%s", progress.sent(), progress.received(),
                progress.sendFailures() == 0 ? "" : ", send failures " + progress.sendFailures());
        String lags = progress.lagByShard().entrySet().stream().map(e -> shortShard(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(" "));
        String owners = leases.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().stream().map(DemoView::shortShard)
                        .collect(Collectors.joining(",", "[", "]")))
                .collect(Collectors.joining(" "));
        if (live) {
            status = List.of("records  " + counts, "lag      (records not yet processed, by shard) " + lags,
                    "leases   " + owners);
            draw();
        } else if (statusCalls++ % PLAIN_STATUS_EVERY == 0) {
            out.println(String.format(Locale.ROOT, "[%6.1fs] %s; lag by shard %s; leases %s", seconds(), counts,
                    lags.isEmpty() ? "-" : lags, owners.isEmpty() ? "-" : owners));
            out.flush();
        }
    }

    /** Leaves the last frame on screen; what follows prints below it. */
    synchronized void finish() {
        if (live) {
            draw();
        }
    }

    private void draw() {
        List<String> frame = new ArrayList<>();
        frame.add(header + String.format(Locale.ROOT, "   %.0f s", seconds()));
        frame.addAll(status);
        frame.add("events");
        events.forEach(e -> frame.add("  " + e));
        // Home and clear, then the whole frame: robust when long lines wrap on a narrow terminal.
        StringBuilder text = new StringBuilder("\u001b[H\u001b[2J");
        for (String line : frame) {
            text.append(line).append('\n');
        }
        out.print(text);
        out.flush();
    }

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** {@code shardId-000000000004} as {@code 4}. */
    static String shortShard(String shardId) {
        String digits = shardId.startsWith("shardId-") ? shardId.substring("shardId-".length()) : shardId;
        String trimmed = digits.replaceFirst("^0+(?=.)", "");
        return trimmed;
    }
}
