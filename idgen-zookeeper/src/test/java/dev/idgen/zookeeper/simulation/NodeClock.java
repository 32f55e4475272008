package dev.idgen.zookeeper.simulation;

import dev.idgen.core.clock.TimeSource;

/**
 * One node's clocks in a simulation: a wall clock the nemesis can step and a monotonic
 * clock, both running at the node's own rate (a crystal a little fast or slow), both
 * derived from simulated time.
 */
final class NodeClock implements TimeSource {

    private final EventLoop loop;

    private double rate;

    private long baseTrueNanos;

    private long baseLocalNanos;

    private long wallOffsetMillis;

    NodeClock(EventLoop loop, double rate, long wallOffsetMillis) {
        this.loop = loop;
        this.rate = rate;
        this.baseTrueNanos = loop.nowNanos();
        this.baseLocalNanos = loop.nowNanos();
        this.wallOffsetMillis = wallOffsetMillis;
    }

    private long localNanos() {
        return baseLocalNanos + (long) ((loop.nowNanos() - baseTrueNanos) * rate);
    }

    @Override
    public long currentTimeMillis() {
        return Math.floorDiv(localNanos(), 1_000_000L) + wallOffsetMillis;
    }

    @Override
    public long nanoTime() {
        return localNanos();
    }

    /**
     * A wait inside a call (the generator spinning for the next millisecond): time
     * passes, nothing else runs.
     */
    @Override
    public void pause(long nanos) {
        loop.spin((long) (Math.max(1, nanos) / rate));
    }

    /**
     * Steps the wall clock (an NTP step, an operator's date command); the monotonic clock
     * goes on.
     */
    void step(long deltaMillis) {
        wallOffsetMillis += deltaMillis;
    }

    long offsetMillis() {
        return currentTimeMillis() - Math.floorDiv(loop.nowNanos(), 1_000_000L);
    }

    /** Changes the rate from now on, keeping both clocks continuous. */
    void rate(double newRate) {
        baseLocalNanos = localNanos();
        baseTrueNanos = loop.nowNanos();
        rate = newRate;
    }

    /** Simulated nanoseconds that pass while this clock measures {@code localNanos}. */
    long trueNanos(long localNanos) {
        return (long) Math.ceil(localNanos / rate);
    }

    @Override
    public String toString() {
        return "NodeClock[offset=" + offsetMillis() + "ms, rate=" + rate + "]";
    }

}
