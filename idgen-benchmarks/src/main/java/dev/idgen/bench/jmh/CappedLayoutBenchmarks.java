package dev.idgen.bench.jmh;

import com.github.f4b6a3.tsid.TsidFactory;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.IdLayout;
import java.util.UUID;
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
 * Throughput with the default layout (41/10/12, 1 ms ticks), whose physical cap is
 * 4,096,000 ids/s per worker: the sequence runs out and the generator must wait for the
 * next millisecond. Here the question is how close to that cap each generator gets, so
 * the mode is ids per second.
 *
 * <p>
 * Peers are configured as a user replacing idgen would: CosId's
 * {@code MillisecondSnowflakeId} with the same 41/10/12 split and epoch, tsid-creator's
 * {@code TsidFactory} with 10 node bits and the same epoch, and
 * {@code UUID.randomUUID()}. TSID is not capped the same way: when its counter overflows
 * it moves its timestamp into the future instead of waiting. Every benchmark runs in its
 * own fork, so each sees a fresh generator.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class CappedLayoutBenchmarks {

    /** The batch size of {@link #idgenNextIds4096()}; results are normalised to ids. */
    public static final int BATCH = 4096;

    private IdGenerator idgen;

    private SnowflakeId cosid;

    private TsidFactory tsid;

    @Setup
    public void setUp() {
        IdLayout layout = IdLayout.defaults();
        idgen = IdGenerator.builder().layout(layout).workerId(0).build();
        cosid = new MillisecondSnowflakeId(layout.epochMillis(), layout.timestampBits(), layout.workerIdBits(),
                layout.sequenceBits(), 0);
        tsid = TsidFactory.builder()
            .withNodeBits(layout.workerIdBits())
            .withNode(0)
            .withCustomEpoch(layout.epoch())
            .build();
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
    public UUID uuidRandomUUID() {
        return UUID.randomUUID();
    }

    @Benchmark
    @Threads(2)
    public UUID uuidRandomUUID2Threads() {
        return UUID.randomUUID();
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

    @Benchmark
    @Threads(1)
    public long tsidFactory() {
        return tsid.create().toLong();
    }

    @Benchmark
    @Threads(2)
    public long tsidFactory2Threads() {
        return tsid.create().toLong();
    }

}
