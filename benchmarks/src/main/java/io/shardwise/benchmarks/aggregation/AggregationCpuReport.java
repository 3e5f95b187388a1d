package io.shardwise.benchmarks.aggregation;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The aggregation benchmark measured in thread CPU time instead of wall time, for machines where
 * other processes compete for the cores (wall-clock JMH figures then scatter widely). Runs the
 * same {@link AggregationWorkload}, interleaving the four operations in short rounds so that all of
 * them see the same conditions, and prints the median rate per CPU second and the ratio of encode
 * and decode to raw MD5.
 *
 * <p>Usage: {@code java -cp ... io.shardwise.benchmarks.aggregation.AggregationCpuReport [rounds [recordBytes,...]]}
 * (default: 15 rounds of 100, 1024 and 10240-byte records)
 */
public final class AggregationCpuReport {

    private static final long ROUND_NANOS = 200_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private AggregationCpuReport() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        System.out.printf("%-7s %-18s %10s %12s %13s %10s%n",
                "record", "operation", "MB/s", "records/s", "vs md5 user", "vs md5 agg");
        List<Integer> sizes = args.length > 1
                ? Arrays.stream(args[1].split(",")).map(Integer::valueOf).toList()
                : List.of(100, 1024, 10240);
        for (int recordBytes : sizes) {
            report(new AggregationWorkload(recordBytes), rounds);
        }
    }

    private static void report(AggregationWorkload workload, int rounds) {
        List<String> names = List.of("encode", "decode", "md5UserBytes", "md5AggregateBytes", "decodeInShard");
        List<IntSupplier> operations = List.of(workload::encode, workload::decode, workload::md5UserBytes,
                workload::md5AggregateBytes, workload::decodeInShard);
        int sink = 0;
        for (IntSupplier operation : operations) { // warm-up: JIT and steady allocation
            sink += runFor(operation, 1_000_000_000L, new long[1]);
        }
        double[][] opsPerCpuSecond = new double[operations.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < operations.size(); i++) {
                long[] ops = new long[1];
                long cpu = THREADS.getCurrentThreadCpuTime();
                sink += runFor(operations.get(i), ROUND_NANOS, ops);
                long used = THREADS.getCurrentThreadCpuTime() - cpu;
                opsPerCpuSecond[i][round] = ops[0] * 1e9 / used;
            }
        }
        double[] median = new double[operations.size()];
        for (int i = 0; i < operations.size(); i++) {
            double[] sorted = opsPerCpuSecond[i].clone();
            Arrays.sort(sorted);
            median[i] = sorted[rounds / 2];
        }
        for (int i = 0; i < operations.size(); i++) {
            double megabytes = median[i] * AggregationWorkload.BATCH_BYTES / 1e6;
            double records = median[i] * workload.batchRecords();
            System.out.printf("%5d B %-18s %10.1f %12.0f %12.0f%% %9.0f%%%n", workload.recordBytes(), names.get(i),
                    megabytes, records, 100 * median[i] / median[2], 100 * median[i] / median[3]);
        }
        if (sink == 42) {
            System.out.println(); // keeps the results alive
        }
    }

    /** Runs the operation until the thread used {@code cpuNanos} of CPU; counts operations. */
    private static int runFor(IntSupplier operation, long cpuNanos, long[] count) {
        long end = THREADS.getCurrentThreadCpuTime() + cpuNanos;
        int sink = 0;
        do {
            sink += operation.getAsInt();
            count[0]++;
        } while (THREADS.getCurrentThreadCpuTime() < end);
        return sink;
    }
}
