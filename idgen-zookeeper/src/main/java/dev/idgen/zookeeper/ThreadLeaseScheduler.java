package dev.idgen.zookeeper;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link LeaseScheduler}: one daemon thread per lane. Work offered after a
 * stop is dropped.
 */
final class ThreadLeaseScheduler implements LeaseScheduler {

    private final ScheduledExecutorService coordinator;

    private final ScheduledExecutorService watchdog;

    private final ExecutorService events;

    ThreadLeaseScheduler(String nodeName) {
        this.coordinator = Executors.newSingleThreadScheduledExecutor(daemon("idgen-lease-" + nodeName));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("idgen-lease-watchdog-" + nodeName));
        this.events = Executors.newSingleThreadExecutor(daemon("idgen-lease-events-" + nodeName));
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void coordinator(Runnable task, long delayNanos) {
        try {
            // The lease's tasks catch their own failures: the future has nothing to say.
            Future<?> unused = coordinator.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            // stopped
        }
    }

    @Override
    public Cancellable watchdog(Runnable task, long delayNanos) {
        try {
            ScheduledFuture<?> future = watchdog.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }
        catch (RejectedExecutionException ex) {
            return () -> {
            };
        }
    }

    @Override
    public void notify(Runnable task) {
        try {
            events.execute(task);
        }
        catch (RejectedExecutionException ex) {
            // closed
        }
    }

    @Override
    public void stopCoordinator(Duration patience) throws InterruptedException {
        coordinator.shutdown();
        try {
            if (!coordinator.awaitTermination(patience.toNanos(), TimeUnit.NANOSECONDS)) {
                coordinator.shutdownNow();
            }
        }
        catch (InterruptedException ex) {
            coordinator.shutdownNow();
            throw ex;
        }
    }

    @Override
    public void close() {
        coordinator.shutdownNow();
        watchdog.shutdownNow();
        events.shutdown();
    }

}
