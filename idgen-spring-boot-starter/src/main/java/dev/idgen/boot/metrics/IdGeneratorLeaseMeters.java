package dev.idgen.boot.metrics;

import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.ManagedWorkerLease;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Locale;

/**
 * Gauges of a {@link ManagedWorkerLease}, read from its snapshot when scraped (never on
 * the id path).
 *
 * <p>
 * Prometheus names: {@code idgen_worker_id}, {@code idgen_lease_state{state=...}} (1 for
 * the current state, 0 for the others), {@code idgen_lease_time_left_seconds},
 * {@code idgen_lease_reclaims_total}, {@code idgen_lease_handover_wait_seconds},
 * {@code idgen_lease_store_losses_total}, {@code idgen_peer_clock_offset_milliseconds};
 * and the worker-id range this node may claim from, {@code idgen_worker_range_min},
 * {@code idgen_worker_range_max} and {@code idgen_worker_range_size}, so that an alert
 * can tell how full a region's range is without the sizes typed into the rule.
 */
public final class IdGeneratorLeaseMeters {

    /** Worker id held, -1 when none. */
    public static final String WORKER_ID = "idgen.worker.id";

    /** 1 for the lease's current state, 0 for the others, tagged {@code state}. */
    public static final String LEASE_STATE = "idgen.lease.state";

    /** How long ids may still be issued without a new confirmation. */
    public static final String LEASE_TIME_LEFT = "idgen.lease.time.left";

    /** Times the worker id was claimed again after a loss. */
    public static final String LEASE_RECLAIMS = "idgen.lease.reclaims";

    /** How long the current holder had to wait past its predecessor's reservation. */
    public static final String LEASE_HANDOVER_WAIT = "idgen.lease.handover.wait";

    /**
     * Times a claim found the coordination store had lost reservations this node made.
     */
    public static final String STORE_LOSSES = "idgen.lease.store.losses";

    /** This node's clock minus the median of live peers' clocks, NaN when not known. */
    public static final String PEER_CLOCK_OFFSET = "idgen.peer.clock.offset";

    /** Lowest worker id this node may claim ({@code idgen.worker.range}). */
    public static final String WORKER_RANGE_MIN = "idgen.worker.range.min";

    /** Highest worker id this node may claim ({@code idgen.worker.range}). */
    public static final String WORKER_RANGE_MAX = "idgen.worker.range.max";

    /** How many worker ids the range holds: max - min + 1. */
    public static final String WORKER_RANGE_SIZE = "idgen.worker.range.size";

    private final ManagedWorkerLease lease;

    private final int minWorkerId;

    private final int maxWorkerId;

    /**
     * @param lease the lease whose snapshot the gauges read
     * @param minWorkerId lowest worker id this node may claim
     * @param maxWorkerId highest worker id this node may claim
     */
    public IdGeneratorLeaseMeters(ManagedWorkerLease lease, int minWorkerId, int maxWorkerId) {
        if (minWorkerId < 0 || maxWorkerId < minWorkerId) {
            throw new IllegalArgumentException("Worker-id range " + minWorkerId + "-" + maxWorkerId + " is empty");
        }
        this.lease = lease;
        this.minWorkerId = minWorkerId;
        this.maxWorkerId = maxWorkerId;
    }

    /**
     * Registers these meters on {@code registry}. Deliberately not a {@code MeterBinder}:
     * the auto-configuration registers them when the bean is created, and Spring Boot
     * would otherwise bind a {@code MeterBinder} bean a second time.
     */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(WORKER_ID, lease, (l) -> l.snapshot().workerId())
            .description("Worker id held by this node, -1 when none")
            .baseUnit("id")
            .register(registry);
        for (LeaseState state : LeaseState.values()) {
            Gauge.builder(LEASE_STATE, lease, (l) -> (l.snapshot().state() == state) ? 1 : 0)
                .description("Worker-id lease state: 1 for the current state, 0 for the others; only active issues ids")
                .baseUnit("state")
                .tag("state", state.name().toLowerCase(Locale.ROOT))
                .register(registry);
        }
        Gauge.builder(LEASE_TIME_LEFT, lease, (l) -> seconds(l.snapshot().timeLeft()))
            .description("How long ids may still be issued without a new confirmation from the coordinator")
            .baseUnit("seconds")
            .register(registry);
        FunctionCounter.builder(LEASE_RECLAIMS, lease, (l) -> l.snapshot().reclaims())
            .description("Times the worker id was claimed again after the lease was lost")
            .baseUnit("reclaims")
            .register(registry);
        Gauge.builder(LEASE_HANDOVER_WAIT, lease, (l) -> seconds(l.snapshot().handoverWait()))
            .description("How long this holder had to wait past its predecessor's reservation before issuing")
            .baseUnit("seconds")
            .register(registry);
        FunctionCounter.builder(STORE_LOSSES, lease, (l) -> l.snapshot().storeLossesDetected())
            .description("Times a claim found ZooKeeper's reservation below this node's own durable record: "
                    + "the ensemble lost its data or was replaced")
            .baseUnit("losses")
            .register(registry);
        Gauge.builder(PEER_CLOCK_OFFSET, lease, IdGeneratorLeaseMeters::peerOffsetMillis)
            .description("This node's clock minus the median of live peers' clocks, as seen through the coordinator")
            .baseUnit("milliseconds")
            .register(registry);
        // No base unit on the range gauges: they are plain numbers (a worker id, a count
        // of worker ids), and
        // Micrometer's Prometheus naming appends a base unit to the name ("ids" would
        // export
        // idgen_worker_range_size_ids), while the alert rules use
        // idgen_worker_range_size.
        Gauge.builder(WORKER_RANGE_MIN, () -> minWorkerId)
            .description("Lowest worker id this node may claim (idgen.worker.range)")
            .register(registry);
        Gauge.builder(WORKER_RANGE_MAX, () -> maxWorkerId)
            .description("Highest worker id this node may claim (idgen.worker.range)")
            .register(registry);
        Gauge.builder(WORKER_RANGE_SIZE, () -> maxWorkerId - minWorkerId + 1)
            .description("Number of worker ids in this node's range (idgen.worker.range): the most nodes that can"
                    + " hold one at once")
            .register(registry);
    }

    private static double peerOffsetMillis(ManagedWorkerLease lease) {
        Duration offset = lease.snapshot().peerClockOffset();
        return (offset != null) ? offset.toNanos() / 1e6 : Double.NaN;
    }

    private static double seconds(Duration duration) {
        if (duration == null) {
            return Double.NaN;
        }
        // A static lease's "forever" overflows toNanos(); seconds are precise enough
        // there.
        return duration.getSeconds() + duration.getNano() / 1e9;
    }

}
