package dev.idgen.zookeeper.simulation;

/**
 * One host of a simulation and the lives its process runs there: the host keeps its clock
 * and its disk (the durable reservation log) across restarts; a life is one process with
 * its own ZooKeeper client, lease and generator.
 */
final class SimulatedNode {

    final String name;

    final String host;

    final NodeClock clock;

    /** A second process under a name already running, on another host. */
    final boolean twin;

    InMemoryReservationLog disk = new InMemoryReservationLog();

    /**
     * The worker ids this node may claim: the whole range unless the nemesis narrowed it
     * for a restart.
     */
    int minWorkerId;

    int maxWorkerId = -1;

    NodeLife life;

    int lives;

    /**
     * When the faults healed: the next id this node issues after it measures its
     * recovery.
     */
    long healedAtNanos = -1;

    long recoveredAfterNanos = -1;

    /**
     * Whether its clock was once stepped a minute or more ahead: healing then restarts
     * it, and its recovery is reported apart (its claim may have to wait out its own
     * reservation when no other worker id is free).
     */
    boolean farAhead;

    SimulatedNode(String name, String host, NodeClock clock, boolean twin) {
        this.name = name;
        this.host = host;
        this.clock = clock;
        this.twin = twin;
    }

    boolean running() {
        return life != null && life.alive();
    }

    @Override
    public String toString() {
        return host;
    }

}
