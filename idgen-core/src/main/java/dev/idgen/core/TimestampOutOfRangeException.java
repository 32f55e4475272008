package dev.idgen.core;

/**
 * The clock reads before the layout's epoch, or past the last instant its timestamp bits
 * can hold.
 */
public final class TimestampOutOfRangeException extends IdGenerationException {

    private static final long serialVersionUID = 1L;

    TimestampOutOfRangeException(String message) {
        super(RefusalReason.TIMESTAMP_OUT_OF_RANGE, message, 60_000);
    }

}
