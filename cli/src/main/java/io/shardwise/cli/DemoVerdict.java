package io.shardwise.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The demo's result. {@code failoverSeconds} is null when no worker was killed or its shards did not
 * resume before the end; {@code sendFailures} (records the producer gave up on) is shown, not judged.
 */
record DemoVerdict(long sent, long received, long lost, long duplicates, long orderViolations,
                   double throughputPerSecond, long p50LatencyMs, long p99LatencyMs, Double failoverSeconds,
                   long sendFailures) {

    /** Nothing acknowledged was lost and no key went out of order. */
    boolean passed() {
        return lost == 0 && orderViolations == 0;
    }

    /** Exactly the documented keys, in the documented order. */
    String json() {
        ObjectNode json = JsonLines.object();
        json.put("sent", sent);
        json.put("received", received);
        json.put("lost", lost);
        json.put("duplicates", duplicates);
        json.put("orderViolations", orderViolations);
        json.put("throughputPerSecond", Math.round(throughputPerSecond * 10) / 10.0);
        json.put("p50LatencyMs", p50LatencyMs);
        json.put("p99LatencyMs", p99LatencyMs);
        if (failoverSeconds == null) {
            json.putNull("failoverSeconds");
        } else {
            json.put("failoverSeconds", Math.round(failoverSeconds * 100) / 100.0);
        }
        return JsonLines.write(json);
    }

    String[] text() {
        return new String[] {
            "Verdict: " + (passed() ? "PASS (nothing lost, every key in order)"
                    : "FAIL (" + lost + " lost, " + orderViolations + " order violations)"),
            String.format(Locale.ROOT, "  sent %d, received %d, lost %d, duplicates %d, order violations %d",
                    sent, received, lost, duplicates, orderViolations),
            String.format(Locale.ROOT, "  throughput %.1f records/s, end-to-end latency p50 %d ms, p99 %d ms",
                    throughputPerSecond, p50LatencyMs, p99LatencyMs),
            "  failover after the crash: " + (failoverSeconds == null ? "not measured"
                    : String.format(Locale.ROOT, "%.2f s", failoverSeconds))
                    + (sendFailures == 0 ? "" : "; " + sendFailures + " sends failed (not counted as sent)")
        };
    }
}
