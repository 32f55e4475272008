package dev.idgen.zookeeper.simulation;

import java.util.Random;

/**
 * Chooses, per seed, the faults of a run and when they strike: pauses of any length,
 * crashes and restarts with or without the disk, graceful restarts at any moment, session
 * expiry, lost replies, partitions, stale reads, clock steps back and forward, drift,
 * data loss in the store, the same node name started twice, and range changes. About one
 * fault every two simulated seconds, on a random node.
 *
 * <p>
 * One forward step in eight jumps a minute to an hour instead of seconds, past the
 * claim's hand-over bound ({@code maxHandoverWait}, 30 s): the node may issue and reserve
 * far ahead, and healing restarts it with the right clock, so its claim meets its own
 * worker id reserved far ahead. Those jumps draw from their own generator, so the
 * schedule of every other fault, and of the regression seeds, is what it was before they
 * were added.
 */
final class Nemesis {

    private static final long MS = 1_000_000L;

    private static final long SECOND = 1_000 * MS;

    /**
     * What the lease promises after the store loses its data holds for clocks within the
     * peer clock limit (1 s here) of true time, as the peer clock vote keeps them: no id
     * issued more than half of it ahead of true time before the loss, no clock more than
     * half of it ahead after. Clocks behind are not limited: a node's own disk and the
     * store's quarantine cover them.
     */
    private static final long AHEAD_LIMIT_AROUND_LOSS_MILLIS = 500;

    private final LeaseSimulation simulation;

    private final Random random;

    /** Only for far forward jumps, apart from {@link #random}: see the class comment. */
    private final Random farJumps;

    private boolean storeLost;

    private int twins;

    Nemesis(LeaseSimulation simulation) {
        this.simulation = simulation;
        this.random = simulation.random;
        this.farJumps = new Random(~simulation.seed);
    }

    /** Schedules the faults of the run, up to {@code endNanos}. */
    void schedule(long endNanos) {
        long at = simulation.now() + SECOND + random.nextInt(2_000) * MS;
        while (at < endNanos) {
            long delay = at - simulation.now();
            simulation.loop.schedule(null, delay, this::strike);
            at += (200 + random.nextInt(3_600)) * MS;
        }
    }

    private void strike() {
        SimulatedNode node = simulation.nodes.get(random.nextInt(simulation.nodes.size()));
        int roll = random.nextInt(100);
        if (roll < 14) {
            pause(node);
        }
        else if (roll < 24) {
            crash(node);
        }
        else if (roll < 36) {
            gracefulRestart(node);
        }
        else if (roll < 42) {
            expireSession(node);
        }
        else if (roll < 52) {
            loseReply(node);
        }
        else if (roll < 62) {
            partition(node);
        }
        else if (roll < 80) {
            stepClock(node);
        }
        else if (roll < 85) {
            drift(node);
        }
        else if (roll < 89) {
            staleReads(node);
        }
        else if (roll < 93) {
            sameNameTwice(node);
        }
        else if (roll < 95) {
            wipeStore();
        }
        else if (roll < 97) {
            restartWithAnotherRange(node);
        }
        else {
            crashAndRestartWithoutDisk(node);
        }
    }

    /**
     * An operator changes the node's worker-id range (narrows or shifts it) and restarts
     * it gracefully.
     */
    private void restartWithAnotherRange(SimulatedNode node) {
        int max = simulation.maxWorkerId;
        int low = random.nextInt(max + 1);
        int high = low + random.nextInt(max - low + 1);
        simulation.trace("range of " + node + " becomes " + low + "-" + high);
        simulation.stop(node);
        node.minWorkerId = low;
        node.maxWorkerId = high;
        restartLater(node, random.nextInt(2_000) * MS);
    }

    /**
     * A GC pause, SIGSTOP or VM freeze: nothing of the process runs, its client does not
     * ping.
     */
    private void pause(SimulatedNode node) {
        NodeLife life = node.life;
        if (life == null || !life.alive) {
            return;
        }
        long length = switch (random.nextInt(3)) {
            case 0 -> (1 + random.nextInt(200)) * MS;
            case 1 -> (200 + random.nextInt(5_000)) * MS;
            default -> (5_000 + random.nextInt(15_000)) * MS;
        };
        life.pausedUntilNanos = Math.max(life.pausedUntilNanos, simulation.now() + length);
        simulation.trace("pause " + life + " for " + length / MS + " ms");
    }

    private void crash(SimulatedNode node) {
        simulation.crash(node);
        restartLater(node, (100 + random.nextInt(10_000)) * MS);
    }

    private void crashAndRestartWithoutDisk(SimulatedNode node) {
        simulation.crash(node);
        node.disk = new InMemoryReservationLog();
        simulation.trace("disk of " + node + " lost");
        restartLater(node, (100 + random.nextInt(10_000)) * MS);
    }

    private void gracefulRestart(SimulatedNode node) {
        simulation.stop(node);
        restartLater(node, random.nextInt(3_000) * MS);
    }

    private void restartLater(SimulatedNode node, long delay) {
        simulation.loop.schedule(null, delay, () -> {
            if (!node.running() && simulation.nodes.contains(node)) {
                simulation.start(node);
            }
        });
    }

    private void expireSession(SimulatedNode node) {
        NodeLife life = node.life;
        if (life != null && life.alive && life.client.sessionId() != 0) {
            simulation.trace("expire session of " + life);
            simulation.server.expireSession(life.client.sessionId());
        }
    }

    private void loseReply(SimulatedNode node) {
        NodeLife life = node.life;
        if (life != null && life.alive) {
            SimulatedZnodeStore.ReplyLoss how = random.nextBoolean() ? SimulatedZnodeStore.ReplyLoss.RETRY
                    : SimulatedZnodeStore.ReplyLoss.CONNECTION_LOSS;
            simulation.trace("lose the next reply to " + life + " (" + how + ")");
            life.client.loseNextReply(how);
        }
    }

    private void partition(SimulatedNode node) {
        NodeLife life = node.life;
        if (life == null || !life.alive || !life.client.isConnected()) {
            return;
        }
        long length = random.nextBoolean() ? (10 + random.nextInt(3_000)) * MS : (3_000 + random.nextInt(15_000)) * MS;
        simulation.trace("partition " + life + " from ZooKeeper for " + length / MS + " ms");
        life.client.disconnect();
        simulation.loop.schedule(life, length, () -> {
            if (!life.client.isConnected()) {
                simulation.trace("partition of " + life + " heals");
                life.client.reconnect();
            }
        });
    }

    private void stepClock(SimulatedNode node) {
        long delta = switch (random.nextInt(5)) {
            case 0 -> -(1 + random.nextInt(50));
            case 1 -> -(50 + random.nextInt(5_000));
            case 2 -> -(5_000 + random.nextInt(120_000));
            case 3 -> 1 + random.nextInt(500);
            default -> 500 + random.nextInt(5_000);
        };
        if (simulation.farJumps && delta > 0 && !storeLost && farJumps.nextInt(8) == 0) {
            delta = 60_000 + farJumps.nextInt(3_540_000);
            node.farAhead = true;
            simulation.farJumped = true;
        }
        if (storeLost && delta > 0) {
            delta = Math.min(delta, Math.max(0, AHEAD_LIMIT_AROUND_LOSS_MILLIS - node.clock.offsetMillis()));
        }
        simulation.trace("step the clock of " + node + " by " + delta + " ms");
        node.clock.step(delta);
    }

    private void drift(SimulatedNode node) {
        double rate = 1 + (random.nextDouble() - 0.5) * 2e-3;
        simulation.trace("clock of " + node + " now runs at " + rate);
        node.clock.rate(rate);
    }

    private void staleReads(SimulatedNode node) {
        NodeLife life = node.life;
        if (life != null && life.alive) {
            boolean stale = random.nextBoolean();
            simulation.trace("stale reads for " + life + ": " + stale);
            life.client.staleReads(stale);
        }
    }

    /**
     * An operator starts a second process under a name already running, on another host.
     */
    private void sameNameTwice(SimulatedNode node) {
        if (simulation.nodes.size() >= 6) {
            return;
        }
        SimulatedNode twin = new SimulatedNode(node.name, node.name + "-twin-" + (++twins), simulation.newClock(),
                true);
        simulation.nodes.add(twin);
        simulation.trace("second process named " + node.name + " on " + twin.host);
        simulation.start(twin);
    }

    /**
     * The ensemble loses its data (replaced, or its data directory deleted): every node
     * and session is gone.
     */
    private void wipeStore() {
        long trueMillis = Math.floorDiv(simulation.now(), 1_000_000L);
        if (simulation.checker.highestMillis() > trueMillis + AHEAD_LIMIT_AROUND_LOSS_MILLIS
                || simulation.nodes.stream().anyMatch(n -> n.clock.offsetMillis() > AHEAD_LIMIT_AROUND_LOSS_MILLIS)) {
            return; // outside what the lease promises after a loss: see
                    // AHEAD_LIMIT_AROUND_LOSS_MILLIS
        }
        storeLost = true;
        simulation.trace("ZooKeeper loses all its data");
        simulation.server.wipe();
    }

}
