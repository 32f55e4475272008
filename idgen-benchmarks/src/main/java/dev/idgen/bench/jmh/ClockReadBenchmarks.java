package dev.idgen.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under every Snowflake generator that reads the clock per id: what one read of
 * the wall clock (and of the monotonic clock) costs on this machine. Not part of the
 * comparison table; run it beside it to see how much of {@code nextId()}'s cost on the
 * uncapped layout is the clock itself:
 * {@code java -jar idgen-benchmarks/target/benchmarks.jar ClockReadBenchmarks}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms256m", "-Xmx256m" })
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ClockReadBenchmarks {

    @Benchmark
    @Threads(1)
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Benchmark
    @Threads(1)
    public long nanoTime() {
        return System.nanoTime();
    }

}
