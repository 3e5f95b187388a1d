package io.shardwise.benchmarks.aggregation;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode throughput of the KPL aggregate codec beside raw MD5 over the same bytes
 * ({@link AggregationWorkload} describes the work). Every byte of an aggregate must be hashed, so
 * MD5 is the ceiling.
 *
 * <p>One operation is one batch of 1 MiB of user data: MB/s = ops/s x 1.048576, records/s =
 * ops/s x (1 MiB / recordBytes), and {@code gc.alloc.rate.norm / records per op} is the allocation
 * per user record. benchmarks/README.md has the command and the figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class AggregationBenchmark {

    @Param({"100", "1024", "10240"})
    public int recordBytes;

    private AggregationWorkload workload;

    @Setup(Level.Trial)
    public void setUp() {
        workload = new AggregationWorkload(recordBytes);
    }

    @Benchmark
    public int encode() {
        return workload.encode();
    }

    @Benchmark
    public int decode() {
        return workload.decode();
    }

    @Benchmark
    public int decodeInShard() {
        return workload.decodeInShard();
    }

    @Benchmark
    public int md5UserBytes() {
        return workload.md5UserBytes();
    }

    @Benchmark
    public int md5AggregateBytes() {
        return workload.md5AggregateBytes();
    }
}
