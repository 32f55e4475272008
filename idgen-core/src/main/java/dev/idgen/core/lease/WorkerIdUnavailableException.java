package dev.idgen.core.lease;

/**
 * No worker id can be claimed, and waiting will not help by itself: every id of the
 * configured range is held by another live node. The message names the range and the
 * holders.
 */
public class WorkerIdUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public WorkerIdUnavailableException(String message) {
        super(message);
    }

}
