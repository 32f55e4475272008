package dev.idgen.zookeeper.simulation;

import java.util.PriorityQueue;

/**
 * Simulated time and the events due in it, on one thread: the only clock of a simulation.
 * Events run in order of due time, ties in order of scheduling, so one seed replays
 * exactly. An event of a paused node is put off until the pause ends, as a stopped
 * process runs nothing.
 */
final class EventLoop {

    /**
     * Whose event it is: a node's life that can be paused, ended, or is the world's own
     * ({@code null}).
     */
    interface Owner {

        /**
         * Whether events of this owner still run at all (a crashed or closed life's do
         * not).
         */
        boolean alive();

        /**
         * Until when this owner is paused, in simulated nanoseconds (in the past when
         * running).
         */
        long pausedUntilNanos();

    }

    private record Event(long dueNanos, long order, Owner owner, Runnable task) implements Comparable<Event> {

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(dueNanos, other.dueNanos);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();

    private final Runnable beforeEachEvent;

    private long nowNanos;

    private long order;

    EventLoop(long startNanos, Runnable beforeEachEvent) {
        this.nowNanos = startNanos;
        this.beforeEachEvent = beforeEachEvent;
    }

    long nowNanos() {
        return nowNanos;
    }

    void schedule(Owner owner, long delayNanos, Runnable task) {
        queue.add(new Event(nowNanos + Math.max(0, delayNanos), order++, owner, task));
    }

    /**
     * Time passing inside one event, as a thread spinning: no other event runs meanwhile.
     */
    void spin(long nanos) {
        nowNanos += Math.max(1, nanos);
    }

    /** Runs every event due up to {@code untilNanos}, then sets the time to it. */
    void runUntil(long untilNanos) {
        while (!queue.isEmpty() && queue.peek().dueNanos() <= untilNanos) {
            Event event = queue.poll();
            if (event.owner() != null && !event.owner().alive()) {
                continue;
            }
            nowNanos = Math.max(nowNanos, event.dueNanos());
            if (event.owner() != null && event.owner().pausedUntilNanos() > nowNanos) {
                queue.add(new Event(event.owner().pausedUntilNanos(), order++, event.owner(), event.task()));
                continue;
            }
            beforeEachEvent.run();
            event.task().run();
        }
        nowNanos = Math.max(nowNanos, untilNanos);
        beforeEachEvent.run();
    }

}
