package dev.idgen.core;

/**
 * What a generator does when the clock reads earlier than the last timestamp it issued.
 */
public enum ClockBackwardsPolicy {

    /**
     * Wait for the clock to catch up if it is behind by at most the tolerated step, else
     * refuse with {@link ClockMovedBackwardsException}. Timestamps always reflect the
     * real clock; the price is latency (up to the tolerance) or refusals while the clock
     * is behind. The default, as in the original Snowflake.
     */
    WAIT,

    /**
     * Keep issuing on the last issued timestamp, using up its remaining sequence, then
     * advance the timestamp logically ahead of the clock, as long as the lead stays
     * within the tolerated borrow; beyond it, refuse. No latency and no refusals for
     * small steps; the price is that ids issued meanwhile carry timestamps up to the
     * borrow bound later than the real time of issue.
     */
    BORROW

}
