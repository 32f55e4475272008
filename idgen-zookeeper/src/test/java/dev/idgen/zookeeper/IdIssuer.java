package dev.idgen.zookeeper;

import dev.idgen.core.IdGenerationException;
import dev.idgen.core.IdGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Issues ids from one generator on its own thread until stopped, keeping every id in
 * issue order and counting refusals: the record a fault test checks for duplicates and
 * order.
 */
final class IdIssuer implements AutoCloseable {

    private final IdGenerator generator;

    private final List<Long> ids = new ArrayList<>();

    private final AtomicLong refusals = new AtomicLong();

    private final Thread thread;

    private volatile boolean running = true;

    IdIssuer(String name, IdGenerator generator) {
        this.generator = generator;
        this.thread = new Thread(this::run, "issuer-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            try {
                long id = generator.nextId();
                synchronized (ids) {
                    ids.add(id);
                }
            }
            catch (IdGenerationException ex) {
                refusals.incrementAndGet();
            }
            // Pace the loop (a few thousand ids a second) so the record stays small on a
            // shared machine.
            LockSupport.parkNanos(200_000);
        }
    }

    /** Stops issuing and waits for the thread, so no call is in flight afterwards. */
    IdIssuer stop() throws InterruptedException {
        running = false;
        thread.join(10_000);
        if (thread.isAlive()) {
            throw new AssertionError(thread.getName() + " did not stop");
        }
        return this;
    }

    List<Long> ids() {
        synchronized (ids) {
            return new ArrayList<>(ids);
        }
    }

    int count() {
        synchronized (ids) {
            return ids.size();
        }
    }

    long refusals() {
        return refusals.get();
    }

    IdGenerator generator() {
        return generator;
    }

    @Override
    public void close() {
        if (running) {
            try {
                stop();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
