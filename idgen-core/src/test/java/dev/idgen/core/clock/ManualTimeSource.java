package dev.idgen.core.clock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TimeSource} that moves only when told to, for deterministic tests of clock
 * faults.
 *
 * <p>
 * {@link #pause(long)} advances both clocks by the requested time (at least one
 * nanosecond), so a generator that waits for the next millisecond, or for a backwards
 * clock to catch up, finishes its wait without real sleeping. The wall clock can also be
 * set backwards with {@link #setMillis(long)} to simulate an NTP step; the monotonic
 * clock never goes back.
 */
public final class ManualTimeSource implements TimeSource {

    private final AtomicLong wallNanos;

    private final AtomicLong monotonicNanos = new AtomicLong();

    private final AtomicLong pausedNanos = new AtomicLong();

    public ManualTimeSource(long initialMillis) {
        this.wallNanos = new AtomicLong(Math.multiplyExact(initialMillis, 1_000_000L));
    }

    @Override
    public long currentTimeMillis() {
        return Math.floorDiv(wallNanos.get(), 1_000_000L);
    }

    @Override
    public long nanoTime() {
        return monotonicNanos.get();
    }

    @Override
    public void pause(long nanos) {
        advance(Math.max(1, nanos));
        pausedNanos.addAndGet(Math.max(1, nanos));
    }

    /** Moves both clocks forward. */
    public ManualTimeSource advance(Duration duration) {
        advance(duration.toNanos());
        return this;
    }

    private void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("cannot advance by a negative time: " + nanos + "ns");
        }
        wallNanos.addAndGet(nanos);
        monotonicNanos.addAndGet(nanos);
    }

    /** Sets the wall clock, forwards or backwards; the monotonic clock is unaffected. */
    public ManualTimeSource setMillis(long millis) {
        wallNanos.set(Math.multiplyExact(millis, 1_000_000L));
        return this;
    }

    /**
     * Total time callers have spent in {@link #pause(long)}: how long the code under test
     * waited.
     */
    public Duration pausedTotal() {
        return Duration.ofNanos(pausedNanos.get());
    }

    @Override
    public String toString() {
        return "ManualTimeSource[" + currentTimeMillis() + "ms]";
    }

}
