package dev.idgen.zookeeper.simulation;

import dev.idgen.zookeeper.ReservationLog;
import java.util.HashMap;
import java.util.Map;

/**
 * A node's durable floor in a simulation: kept across restarts "with local state", lost
 * with the disk.
 */
final class InMemoryReservationLog implements ReservationLog {

    private final Map<Integer, Long> floors = new HashMap<>();

    @Override
    public long floor(int workerId) {
        return floors.getOrDefault(workerId, Long.MIN_VALUE);
    }

    @Override
    public void record(int workerId, long until) {
        floors.merge(workerId, until, Math::max);
    }

    @Override
    public void released(int workerId, long finalUntil) {
        floors.put(workerId, finalUntil);
    }

}
