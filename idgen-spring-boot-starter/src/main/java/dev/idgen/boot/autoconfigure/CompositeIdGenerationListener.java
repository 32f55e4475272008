package dev.idgen.boot.autoconfigure;

import dev.idgen.core.IdGenerationListener;
import dev.idgen.core.RefusalReason;
import java.util.List;

/**
 * Forwards every event to several listeners, when the application defines more than one.
 */
final class CompositeIdGenerationListener implements IdGenerationListener {

    private final IdGenerationListener[] listeners;

    CompositeIdGenerationListener(List<IdGenerationListener> listeners) {
        this.listeners = listeners.toArray(IdGenerationListener[]::new);
    }

    @Override
    public void idsGenerated(int count) {
        for (IdGenerationListener listener : listeners) {
            listener.idsGenerated(count);
        }
    }

    @Override
    public void sequenceExhausted(long waitedNanos) {
        for (IdGenerationListener listener : listeners) {
            listener.sequenceExhausted(waitedNanos);
        }
    }

    @Override
    public void clockMovedBackwards(long backwardMillis) {
        for (IdGenerationListener listener : listeners) {
            listener.clockMovedBackwards(backwardMillis);
        }
    }

    @Override
    public void leaseWaited(long waitedNanos) {
        for (IdGenerationListener listener : listeners) {
            listener.leaseWaited(waitedNanos);
        }
    }

    @Override
    public void refused(RefusalReason reason) {
        for (IdGenerationListener listener : listeners) {
            listener.refused(reason);
        }
    }

}
