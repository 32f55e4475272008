package dev.idgen.bench.jmh;

import dev.idgen.core.IdGenerationListener;
import dev.idgen.core.RefusalReason;
import java.util.concurrent.atomic.LongAdder;

/**
 * The listener of the "metrics on" benchmarks.
 *
 * <p>This is a stand-in: a striped counter per event, which is what a metrics adapter does per id at
 * the least. It should be replaced by the starter's Micrometer adapter once that is published, so that
 * the benchmark measures the listener users actually run.
 */
final class MeteredListener implements IdGenerationListener {

    /** What the comparison table prints as the metrics-on listener. */
    static final String DESCRIPTION = "counting IdGenerationListener (LongAdder per event; stand-in for Micrometer)";

    private final LongAdder generated = new LongAdder();
    private final LongAdder exhausted = new LongAdder();
    private final LongAdder refused = new LongAdder();

    private MeteredListener() {
    }

    static IdGenerationListener create() {
        return new MeteredListener();
    }

    @Override
    public void idsGenerated(int count) {
        generated.add(count);
    }

    @Override
    public void sequenceExhausted(long waitedNanos) {
        exhausted.increment();
    }

    @Override
    public void refused(RefusalReason reason) {
        refused.increment();
    }
}
