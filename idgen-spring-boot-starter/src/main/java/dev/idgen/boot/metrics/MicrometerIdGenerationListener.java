package dev.idgen.boot.metrics;

import dev.idgen.core.IdGenerationListener;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.RefusalReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer adapter of the generator's {@link IdGenerationListener}.
 *
 * <p>
 * Meter names are chosen so that Prometheus shows the names of the design (see
 * {@link #IDS_GENERATED} and the other constants). The hot path
 * ({@link #idsGenerated(int)}) is one increment of a striped counter; rarer events
 * (waits, refusals) cost a little more. Latency is measured by
 * {@link #timed(IdGenerator)}, which times only a sample of calls.
 *
 * <p>
 * {@code ids.generated} and {@code clock.backwards} carry no base unit on purpose:
 * Micrometer's Prometheus naming appends the unit to the name, which would turn
 * {@code ids_generated_total} into {@code ids_generated_ids_total}. Their unit is "one
 * id" and "one call that found the clock behind".
 */
public final class MicrometerIdGenerationListener implements IdGenerationListener {

    /** Ids issued; Prometheus {@code ids_generated_total}. */
    public static final String IDS_GENERATED = "ids.generated";

    /**
     * Times a millisecond's sequence ran out and the caller waited for the next;
     * {@code sequence_resets_total}.
     */
    public static final String SEQUENCE_RESETS = "sequence.resets";

    /**
     * Calls that found the clock behind the last issued timestamp;
     * {@code clock_backwards_total}.
     */
    public static final String CLOCK_BACKWARDS = "clock.backwards";

    /** Refused calls, tagged {@code reason}; {@code idgen_refusals_total}. */
    public static final String REFUSALS = "idgen.refusals";

    /**
     * Waits for a lease window to open (worker-id hand-over);
     * {@code idgen_lease_wait_seconds}.
     */
    public static final String LEASE_WAIT = "idgen.lease.wait";

    /**
     * Sampled latency of {@code nextId}/{@code nextIds}, tagged {@code call};
     * {@code generation_latency_seconds}.
     */
    public static final String GENERATION_LATENCY = "generation.latency";

    private final Counter idsGenerated;

    private final Counter sequenceResets;

    private final Counter clockBackwards;

    private final Map<RefusalReason, Counter> refusals = new EnumMap<>(RefusalReason.class);

    private final Timer leaseWait;

    private final Timer singleLatency;

    private final Timer batchLatency;

    public MicrometerIdGenerationListener(MeterRegistry registry) {
        this.idsGenerated = Counter.builder(IDS_GENERATED)
            .description("Ids issued by this node's generator")
            .register(registry);
        this.sequenceResets = Counter.builder(SEQUENCE_RESETS)
            .description("Times a millisecond's sequence ran out and the generator waited for the next millisecond")
            .baseUnit("resets")
            .register(registry);
        this.clockBackwards = Counter.builder(CLOCK_BACKWARDS)
            .description(
                    "Calls that found the clock behind the last issued timestamp (then waited, borrowed or refused)")
            .register(registry);
        for (RefusalReason reason : RefusalReason.values()) {
            refusals.put(reason,
                    Counter.builder(REFUSALS)
                        .description("Calls refused because an id could not be issued safely")
                        .baseUnit("refusals")
                        .tag("reason", reason.tag())
                        .register(registry));
        }
        this.leaseWait = Timer.builder(LEASE_WAIT)
            .description("Time calls waited for the lease window to open after a worker-id hand-over")
            .register(registry);
        this.singleLatency = latencyTimer(registry, "single");
        this.batchLatency = latencyTimer(registry, "batch");
    }

    private static Timer latencyTimer(MeterRegistry registry, String call) {
        return Timer.builder(GENERATION_LATENCY)
            .description("Time to issue ids, measured on a sample of about 1 in "
                    + LatencySampledIdGenerator.SAMPLE_EVERY + " calls")
            .tag("call", call)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(1_000))
            .maximumExpectedValue(Duration.ofSeconds(1))
            .register(registry);
    }

    /**
     * A generator that forwards to {@code generator} and records the latency of about one
     * call in {@value LatencySampledIdGenerator#SAMPLE_EVERY} to
     * {@code generation.latency}.
     */
    public IdGenerator timed(IdGenerator generator) {
        return new LatencySampledIdGenerator(generator, singleLatency, batchLatency);
    }

    @Override
    public void idsGenerated(int count) {
        idsGenerated.increment(count);
    }

    @Override
    public void sequenceExhausted(long waitedNanos) {
        sequenceResets.increment();
    }

    @Override
    public void clockMovedBackwards(long backwardMillis) {
        clockBackwards.increment();
    }

    @Override
    public void leaseWaited(long waitedNanos) {
        leaseWait.record(waitedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void refused(RefusalReason reason) {
        Objects.requireNonNull(refusals.get(reason), "the constructor registers a counter for every reason")
            .increment();
    }

}
