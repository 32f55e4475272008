package dev.idgen.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Records what a generator reports, for assertions. */
final class RecordingListener implements IdGenerationListener {

    final AtomicLong generated = new AtomicLong();

    final AtomicLong exhausted = new AtomicLong();

    final List<Long> backwards = new CopyOnWriteArrayList<>();

    final List<Long> leaseWaits = new CopyOnWriteArrayList<>();

    final List<RefusalReason> refusals = new CopyOnWriteArrayList<>();

    @Override
    public void idsGenerated(int count) {
        generated.addAndGet(count);
    }

    @Override
    public void sequenceExhausted(long waitedNanos) {
        exhausted.incrementAndGet();
    }

    @Override
    public void clockMovedBackwards(long backwardMillis) {
        backwards.add(backwardMillis);
    }

    @Override
    public void leaseWaited(long waitedNanos) {
        leaseWaits.add(waitedNanos);
    }

    @Override
    public void refused(RefusalReason reason) {
        refusals.add(reason);
    }

}
