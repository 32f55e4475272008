package dev.idgen.zookeeper.simulation;

import dev.idgen.zookeeper.LeaseScheduler;
import java.time.Duration;

/**
 * The {@link LeaseScheduler} of one node's life in a simulation: its three lanes are
 * events on the one simulated thread, delays measured on the node's own monotonic clock.
 * Nothing is ever in flight when a lane stops, since nothing runs concurrently.
 */
final class LifeScheduler implements LeaseScheduler {

    private final EventLoop loop;

    private final EventLoop.Owner life;

    private final NodeClock clock;

    private boolean coordinatorStopped;

    private boolean closed;

    LifeScheduler(EventLoop loop, EventLoop.Owner life, NodeClock clock) {
        this.loop = loop;
        this.life = life;
        this.clock = clock;
    }

    @Override
    public void coordinator(Runnable task, long delayNanos) {
        if (!coordinatorStopped && !closed) {
            loop.schedule(life, clock.trueNanos(delayNanos), () -> {
                if (!coordinatorStopped && !closed) {
                    task.run();
                }
            });
        }
    }

    @Override
    public Cancellable watchdog(Runnable task, long delayNanos) {
        if (closed) {
            return () -> {
            };
        }
        boolean[] cancelled = new boolean[1];
        loop.schedule(life, clock.trueNanos(delayNanos), () -> {
            if (!cancelled[0] && !closed) {
                task.run();
            }
        });
        return () -> cancelled[0] = true;
    }

    @Override
    public void notify(Runnable task) {
        if (!closed) {
            loop.schedule(life, 0, task);
        }
    }

    @Override
    public void stopCoordinator(Duration patience) {
        coordinatorStopped = true;
    }

    @Override
    public void close() {
        coordinatorStopped = true;
        closed = true;
    }

}
