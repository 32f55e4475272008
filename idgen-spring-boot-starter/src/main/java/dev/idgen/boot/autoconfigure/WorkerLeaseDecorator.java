package dev.idgen.boot.autoconfigure;

import dev.idgen.core.lease.WorkerLease;

/**
 * Wraps the lease that the auto-configured {@link dev.idgen.core.IdGenerator} reads on
 * every id, for example to stop issuing while some other condition is unsafe. Beans of
 * this type are applied in {@link org.springframework.core.annotation.Order order}. The
 * result's {@code window()} is on the hot path: keep it to volatile reads.
 */
@FunctionalInterface
public interface WorkerLeaseDecorator {

    WorkerLease decorate(WorkerLease lease);

}
