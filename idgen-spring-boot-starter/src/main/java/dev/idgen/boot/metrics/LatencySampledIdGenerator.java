package dev.idgen.boot.metrics;

import dev.idgen.core.IdGenerator;
import dev.idgen.core.IdLayout;
import dev.idgen.core.IdParts;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Times about one call in {@value #SAMPLE_EVERY}. Timing every call would add two clock
 * reads and a histogram update to a path that otherwise costs tens of nanoseconds; a
 * random sample keeps the distribution honest (no aliasing with periodic load) at a
 * fraction of the cost.
 */
final class LatencySampledIdGenerator implements IdGenerator {

    /** Sample rate; a power of two so the check is a mask. */
    static final int SAMPLE_EVERY = 64;

    private static final int SAMPLE_MASK = SAMPLE_EVERY - 1;

    private final IdGenerator delegate;

    private final Timer single;

    private final Timer batch;

    LatencySampledIdGenerator(IdGenerator delegate, Timer single, Timer batch) {
        this.delegate = delegate;
        this.single = single;
        this.batch = batch;
    }

    private static boolean sampled() {
        return (ThreadLocalRandom.current().nextInt() & SAMPLE_MASK) == 0;
    }

    @Override
    public long nextId() {
        if (!sampled()) {
            return delegate.nextId();
        }
        // Elapsed time, not wall-clock time: System.nanoTime is the right clock for a
        // duration.
        long start = System.nanoTime();
        long id = delegate.nextId();
        single.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        return id;
    }

    @Override
    public long[] nextIds(int count) {
        if (!sampled()) {
            return delegate.nextIds(count);
        }
        long start = System.nanoTime();
        long[] ids = delegate.nextIds(count);
        batch.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        return ids;
    }

    @Override
    public IdParts parse(long id) {
        return delegate.parse(id);
    }

    @Override
    public IdLayout layout() {
        return delegate.layout();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

}
