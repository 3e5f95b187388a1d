package io.shardwise.benchmarks.producer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time and peak memory of this process and its child processes (the KPL's native daemon), read
 * from Linux's /proc.
 */
final class ProcessStats {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private ProcessStats() {}

    /** CPU seconds (user + system) used so far by this process and its live children. */
    static double cpuSeconds() {
        long self = ProcessHandle.current().pid();
        double total = cpuSeconds(self);
        for (long child : children(self)) {
            total += cpuSeconds(child);
        }
        return total;
    }

    /** Peak resident memory (VmHWM) of this process plus that of its live children, in MiB. */
    static double peakRssMiB() {
        long self = ProcessHandle.current().pid();
        double total = statusKiB(self, "VmHWM:");
        for (long child : children(self)) {
            total += statusKiB(child, "VmHWM:");
        }
        return total / 1024.0;
    }

    private static List<Long> children(long parent) {
        List<Long> children = new ArrayList<>();
        ProcessHandle.of(parent).ifPresent(p -> p.descendants().forEach(d -> children.add(d.pid())));
        return children;
    }

    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0; // the process ended
        }
    }

    private static double statusKiB(long pid, String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"))) {
            return lines.filter(l -> l.startsWith(field)).findFirst()
                    .map(l -> Double.parseDouble(l.substring(field.length()).trim().split("\\s+")[0])).orElse(0.0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
