package dev.idgen.bench.jmh;

import dev.idgen.core.IdGenerator;
import dev.idgen.core.IdLayout;
import java.util.concurrent.TimeUnit;
import me.ahoo.cosid.snowflake.MillisecondSnowflakeId;
import me.ahoo.cosid.snowflake.SnowflakeId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU cost per id with a layout that its sequence does not cap: 41 timestamp bits, no
 * worker bits and 22 sequence bits allow 4,194,304 ids per millisecond, far more than one
 * core can draw, so the time per call is the generator's own work rather than waiting for
 * the clock. Measured as average nanoseconds per call.
 *
 * <p>
 * The metered pair differs from {@link #idgenNextId()} only by metrics: the Micrometer
 * {@link dev.idgen.core.IdGenerationListener} and latency sampler a Spring Boot
 * application gets with metrics on (see {@link MetricsOnGenerator}); the difference
 * between the two is the cost of metrics per id. CosId gets the same split for a
 * like-for-like cost; UUID and TSID are layout-independent and measured in
 * {@link CappedLayoutBenchmarks}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class UncappedLayoutBenchmarks {

    /** 41/0/22 with the default epoch. */
    public static final IdLayout LAYOUT = IdLayout.of(IdLayout.DEFAULT_EPOCH, 41, 0, 22);

    /** The batch size of {@link #idgenNextIds4096()}; results are normalised to ids. */
    public static final int BATCH = 4096;

    private IdGenerator idgen;

    private IdGenerator metered;

    private SnowflakeId cosid;

    @Setup
    public void setUp() {
        idgen = IdGenerator.builder().layout(LAYOUT).workerId(0).build();
        metered = MetricsOnGenerator.build(IdGenerator.builder().layout(LAYOUT).workerId(0));
        cosid = new MillisecondSnowflakeId(LAYOUT.epochMillis(), LAYOUT.timestampBits(), LAYOUT.workerIdBits(),
                LAYOUT.sequenceBits(), 0);
    }

    @Benchmark
    @Threads(1)
    public long idgenNextId() {
        return idgen.nextId();
    }

    @Benchmark
    @Threads(2)
    public long idgenNextId2Threads() {
        return idgen.nextId();
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public long[] idgenNextIds4096() {
        return idgen.nextIds(BATCH);
    }

    @Benchmark
    @Threads(1)
    public long idgenNextIdMetered() {
        return metered.nextId();
    }

    @Benchmark
    @Threads(2)
    public long idgenNextIdMetered2Threads() {
        return metered.nextId();
    }

    @Benchmark
    @Threads(1)
    public long cosidSnowflake() {
        return cosid.generate();
    }

    @Benchmark
    @Threads(2)
    public long cosidSnowflake2Threads() {
        return cosid.generate();
    }

}
