package dev.idgen.zookeeper.simulation;

import dev.idgen.core.IdGenerator;
import dev.idgen.zookeeper.ZooKeeperWorkerLease;

/**
 * One process's life on a {@link SimulatedNode}: from its start to its crash or graceful
 * stop.
 */
final class NodeLife implements EventLoop.Owner {

    final String key;

    final SimulatedZnodeStore client;

    ZooKeeperWorkerLease lease;

    IdGenerator generator;

    boolean alive = true;

    long pausedUntilNanos = Long.MIN_VALUE;

    NodeLife(String key, SimulatedZnodeStore client) {
        this.key = key;
        this.client = client;
    }

    @Override
    public boolean alive() {
        return alive;
    }

    @Override
    public long pausedUntilNanos() {
        return pausedUntilNanos;
    }

    @Override
    public String toString() {
        return key;
    }

}
