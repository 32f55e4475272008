package dev.idgen.core.clock;

import java.util.concurrent.locks.LockSupport;

/**
 * Where the generator reads time, and how it waits for time to pass.
 *
 * <p>
 * Production code never calls {@code System.currentTimeMillis()} directly: it goes
 * through a {@code TimeSource}, so tests drive time by hand (the test fixture
 * {@code ManualTimeSource}) and clock faults are reproduced deterministically.
 * Implementations must be thread-safe.
 */
public interface TimeSource {

    /**
     * Wall-clock milliseconds since 1970-01-01T00:00:00Z; may jump backwards when the
     * clock is set.
     */
    long currentTimeMillis();

    /**
     * Monotonic nanoseconds for measuring elapsed time; never jumps backwards, origin
     * arbitrary.
     */
    long nanoTime();

    /**
     * Lets roughly {@code nanos} of time pass before returning, for a caller that polls
     * {@link #currentTimeMillis()} until it changes. Short waits spin so the caller wakes
     * close to a millisecond boundary; longer ones park so a waiting thread does not burn
     * a core.
     */
    void pause(long nanos);

    /** The system clock. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }

    /**
     * The system clock shifted by a fixed offset: for tests and fault drills that need a
     * skewed node.
     */
    static TimeSource systemWithOffset(long offsetMillis) {
        if (offsetMillis == 0) {
            return system();
        }
        return new TimeSource() {
            @Override
            public long currentTimeMillis() {
                return System.currentTimeMillis() + offsetMillis;
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void pause(long nanos) {
                SystemTimeSource.INSTANCE.pause(nanos);
            }

            @Override
            public String toString() {
                return "TimeSource.systemWithOffset(" + offsetMillis + "ms)";
            }
        };
    }

}

enum SystemTimeSource implements TimeSource {

    INSTANCE;

    /**
     * Below this a wait spins. Parking on Linux overshoots by tens of microseconds, which
     * at a millisecond boundary would cost several percent of a worker's sequence space.
     */
    private static final long SPIN_BELOW_NANOS = 200_000;

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void pause(long nanos) {
        if (nanos < SPIN_BELOW_NANOS) {
            Thread.onSpinWait();
        }
        else {
            // Leave the last stretch to spinning so the caller does not oversleep a
            // boundary.
            LockSupport.parkNanos(nanos - SPIN_BELOW_NANOS / 2);
        }
    }

    @Override
    public String toString() {
        return "TimeSource.system()";
    }

}
