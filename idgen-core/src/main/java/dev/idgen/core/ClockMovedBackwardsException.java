package dev.idgen.core;

/**
 * The clock is behind the last issued timestamp by more than the clock policy tolerates.
 */
public final class ClockMovedBackwardsException extends IdGenerationException {

    private static final long serialVersionUID = 1L;

    private final long backwardMillis;

    ClockMovedBackwardsException(long backwardMillis, long toleratedMillis) {
        super(RefusalReason.CLOCK_BACKWARDS, "clock moved backwards by " + backwardMillis
                + " ms, more than the tolerated " + toleratedMillis + " ms; refusing to issue ids until it catches up",
                Math.max(1, backwardMillis));
        this.backwardMillis = backwardMillis;
    }

    /** How far the clock is behind the last issued timestamp. */
    public long backwardMillis() {
        return backwardMillis;
    }

}
