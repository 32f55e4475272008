package dev.idgen.boot.autoconfigure;

import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.core.lease.WorkerIdUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link ManagedWorkerLease} with the application.
 *
 * <p>
 * The claim begins as soon as this bean is initialized ({@link #afterPropertiesSet()}),
 * so talking to the coordinator, and any wait for a previous holder's reservation, runs
 * while the rest of the context is still being built; {@link #start()} then only waits
 * for it. Measured on two cores, that took the claim (and the two-second quarantine of a
 * new store) off the path to ready.
 *
 * <p>
 * Start-up waits up to {@code idgen.worker.startup-timeout} for the first claim. A range
 * with no free worker id ({@link WorkerIdUnavailableException}) fails start-up, because
 * waiting will not fix it; a slow coordinator does not: the application keeps running,
 * not ready, and the generator refuses until the claim succeeds.
 *
 * <p>
 * {@link #PHASE} is below Spring Boot's web server phases (graceful shutdown at
 * {@code Integer.MAX_VALUE - 1024}, start/stop at {@code Integer.MAX_VALUE - 2048}), so
 * the lease is claimed before the server accepts requests.
 *
 * <p>
 * {@link #stop()} does not release the lease: the lease bean is closed when the context
 * destroys its beans, which happens only after every lifecycle, the web server's graceful
 * drain included, has stopped; so no request is refused for lack of a lease during a
 * graceful shutdown. A context that is stopped and started again (or paused, as Spring's
 * test context cache does) keeps its worker id rather than ending up with a lease that
 * can never be started again.
 */
public final class WorkerLeaseLifecycle implements SmartLifecycle, InitializingBean {

    /**
     * Below the web server's start/stop and graceful-shutdown phases; see the class
     * comment.
     */
    public static final int PHASE = Integer.MAX_VALUE - 4096;

    private static final Logger logger = LoggerFactory.getLogger(WorkerLeaseLifecycle.class);

    private final ManagedWorkerLease lease;

    private final Duration startupTimeout;

    private final AtomicBoolean started = new AtomicBoolean();

    private volatile boolean running;

    /** Whether {@link #start()} has waited for the claim once. */
    private final AtomicBoolean awaited = new AtomicBoolean();

    public WorkerLeaseLifecycle(ManagedWorkerLease lease, Duration startupTimeout) {
        this.lease = lease;
        this.startupTimeout = startupTimeout;
    }

    /** Begins the claim in the background; {@link #start()} waits for it. */
    @Override
    public void afterPropertiesSet() {
        claim();
    }

    @Override
    public void start() {
        running = true;
        if (!awaited.compareAndSet(false, true)) {
            return; // restarted after stop(): the lease was never released
        }
        claim();
        LeaseSnapshot snapshot;
        try {
            snapshot = lease.awaitActive(startupTimeout);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a worker id", ex);
        }
        catch (WorkerIdUnavailableException ex) {
            lease.close();
            running = false;
            throw ex;
        }
        if (snapshot.state() == LeaseState.ACTIVE) {
            logger.info("Issuing ids as worker " + snapshot.workerId() + " on node " + snapshot.nodeName() + " ("
                    + snapshot.assignment() + " assignment)");
        }
        else {
            logger.warn("No worker id within idgen.worker.startup-timeout (" + startupTimeout + "): lease is "
                    + snapshot.state() + ". Carrying on NOT READY; ids are refused until a worker id is" + " claimed.");
        }
    }

    private void claim() {
        if (started.compareAndSet(false, true)) {
            lease.start();
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

}
