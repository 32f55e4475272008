package dev.idgen.boot.ntp;

import dev.idgen.core.lease.IssuedIds;
import dev.idgen.core.lease.LeaseWindow;
import dev.idgen.core.lease.WorkerLease;

/**
 * A {@link WorkerLease} that grants nothing while the {@link ClockDriftSource} reports
 * critical drift.
 *
 * <p>
 * Used when {@code idgen.clock.ntp.refuse-on-critical} is on. A clock far from real time
 * breaks the assumption behind worker-id hand-over (the next holder starts after its
 * predecessor's reservation, measured on its own clock), so refusing is the safe side. It
 * costs one extra volatile read per id, and only when the option is on.
 */
public final class NtpGuardedWorkerLease implements WorkerLease {

    private final WorkerLease delegate;

    private final ClockDriftSource monitor;

    public NtpGuardedWorkerLease(WorkerLease delegate, ClockDriftSource monitor) {
        this.delegate = delegate;
        this.monitor = monitor;
    }

    @Override
    public LeaseWindow window() {
        return monitor.isCritical() ? LeaseWindow.none() : delegate.window();
    }

    @Override
    public void track(IssuedIds issued) {
        delegate.track(issued);
    }

}
