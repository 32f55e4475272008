package dev.idgen.server.discovery;

import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.ManagedWorkerLease;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.zookeeper.discovery.ZookeeperInstance;
import org.springframework.cloud.zookeeper.serviceregistry.ServiceInstanceRegistration;
import org.springframework.cloud.zookeeper.serviceregistry.ZookeeperServiceRegistry;
import org.springframework.context.event.EventListener;

/**
 * Keeps this node registered in ZooKeeper service discovery exactly while it can serve
 * ids: the application accepts traffic and the lease is {@link LeaseState#ACTIVE}. A node
 * whose lease is lost, or that is shutting down (readiness goes to refusing traffic
 * before requests drain), is deregistered, so clients that discover nodes through
 * ZooKeeper stop choosing it.
 *
 * <p>
 * Registry calls go to ZooKeeper and may block; they run on one thread of their own,
 * never on the lease's coordinator thread that reports state changes, and always in the
 * order of the changes.
 */
public final class DiscoveryRegistrar implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiscoveryRegistrar.class);

    private final ZookeeperServiceRegistry registry;

    private final String serviceName;

    private final String host;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "idgen-discovery");
        thread.setDaemon(true);
        return thread;
    });

    private volatile int port;

    private volatile boolean accepting;

    private volatile LeaseSnapshot leaseSnapshot;

    // Only touched on the worker thread.
    private @Nullable ServiceInstanceRegistration registered;

    public DiscoveryRegistrar(ZookeeperServiceRegistry registry, ManagedWorkerLease lease, String serviceName,
            String host) {
        this.registry = registry;
        this.serviceName = serviceName;
        this.host = host;
        this.leaseSnapshot = lease.snapshot();
        lease.addStateListener(snapshot -> {
            leaseSnapshot = snapshot;
            reconcile();
        });
    }

    @EventListener
    void webServerStarted(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) { // the
                                                                          // application's,
                                                                          // not
                                                                          // management's
            port = event.getWebServer().getPort();
            reconcile();
        }
    }

    @EventListener
    void readinessChanged(AvailabilityChangeEvent<ReadinessState> event) {
        accepting = event.getState() == ReadinessState.ACCEPTING_TRAFFIC;
        if (accepting) {
            reconcile();
        }
        else {
            // Leaving discovery must be done before the caller goes on (on shutdown:
            // before Tomcat stops
            // accepting), or clients could still pick a node that is about to refuse
            // connections.
            awaitReconciled(Duration.ofSeconds(5));
        }
    }

    private void awaitReconciled(Duration timeout) {
        if (worker.isShutdown()) {
            return;
        }
        try {
            worker.submit(this::apply).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.warn("Gave up waiting for the ZooKeeper discovery registration of {} to be updated: {}", serviceName,
                    e.toString());
        }
    }

    private void reconcile() {
        try {
            worker.execute(this::apply);
        }
        catch (RejectedExecutionException e) {
            // closed: nothing to register any more
        }
    }

    private void apply() {
        LeaseSnapshot snapshot = leaseSnapshot;
        boolean wanted = accepting && port > 0 && snapshot.state() == LeaseState.ACTIVE;
        try {
            if (wanted && registered == null) {
                ServiceInstanceRegistration registration = ServiceInstanceRegistration.builder()
                    .name(serviceName)
                    .id(snapshot.nodeName())
                    .address(host)
                    .port(port)
                    .payload(new ZookeeperInstance(snapshot.nodeName(), serviceName,
                            Map.of("workerId", Integer.toString(snapshot.workerId()), "nodeName", snapshot.nodeName())))
                    .build();
                registry.register(registration);
                registered = registration;
                log.info("Registered {} ({}:{}, worker id {}) in ZooKeeper service discovery", serviceName, host, port,
                        snapshot.workerId());
            }
            else if (!wanted && registered != null) {
                registry.deregister(registered);
                registered = null;
                log.info("Deregistered {} from ZooKeeper service discovery (lease {}, accepting traffic: {})",
                        serviceName, snapshot.state(), accepting);
            }
        }
        catch (RuntimeException e) {
            // ZooKeeper is unreachable or refused: the next change tries again; ids are
            // unaffected.
            log.warn("Could not update ZooKeeper service discovery registration of {}: {}", serviceName, e.toString());
        }
    }

    @Override
    public void close() {
        accepting = false;
        awaitReconciled(Duration.ofSeconds(5));
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Gave up waiting for the discovery deregistration of {}", serviceName);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
