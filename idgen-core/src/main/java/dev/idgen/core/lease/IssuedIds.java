package dev.idgen.core.lease;

/**
 * What a generator has issued, as its lease needs to know when it gives the worker id
 * back: the final reservation a coordinator writes must cover every id issued, whatever
 * the clock did since.
 *
 * <p>
 * A coordinator never reads a clock for this. A wall clock stepped back between the last
 * heartbeat and the release would make "now" lower than ids already issued; the
 * generator's own record is exact.
 */
@FunctionalInterface
public interface IssuedIds {

    /** What {@link #settle()} returns when nothing was ever issued. */
    long NOTHING = Long.MIN_VALUE;

    /**
     * Makes every call still in flight under the window the lease has just withdrawn
     * start over (it then sees the new window), and returns the highest Unix-millisecond
     * timestamp ever issued, or {@link #NOTHING}. Call it only after publishing the
     * window that ends issuing.
     */
    long settle();

}
