package dev.idgen.zookeeper.simulation;

import dev.idgen.core.ClockBackwardsPolicy;
import dev.idgen.core.IdGenerationException;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.IdLayout;
import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.LeaseState;
import dev.idgen.zookeeper.ReservationLog;
import dev.idgen.zookeeper.ZooKeeperLeaseSettings;
import dev.idgen.zookeeper.ZooKeeperWorkerLease;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * One seed's run: a few nodes leasing worker ids from a simulated ZooKeeper and issuing
 * ids under the real lease and generator code, a {@link Nemesis} injecting faults, an
 * {@link IssuedIdChecker} watching every id. Everything runs on the calling thread from
 * {@code new Random(seed)}, so a seed replays exactly.
 *
 * <p>
 * Phases: faults for {@link #FAULT_PHASE}, then every fault heals (partitions close,
 * pauses end, crashed nodes restart with their disks, clocks are corrected to within
 * NTP's tens of milliseconds) and the run goes on for {@link #HEAL_PHASE}, measuring how
 * long each node takes to issue again.
 */
final class LeaseSimulation {

    static final Duration FAULT_PHASE = Duration.ofSeconds(60);

    static final Duration HEAL_PHASE = Duration.ofSeconds(40);

    /** Session 6 s, heartbeat 1 s, margin 1 s: production's proportions, shorter. */
    static final Duration SESSION = Duration.ofSeconds(6);

    static final Duration HEARTBEAT = Duration.ofSeconds(1);

    /** Simulated wall time starts here (2026-12-01T00:00:00Z). */
    private static final long START_MILLIS = 1_795_996_800_000L;

    private static final int TRACE_LINES = 400;

    /** The lease's default, which every simulated node runs with. */
    private static final Duration MAX_HANDOVER_WAIT = ZooKeeperLeaseSettings.builder("any").build().maxHandoverWait();

    final long seed;

    /** Whether forward clock steps may jump a minute to an hour ({@link Nemesis}). */
    final boolean farJumps;

    final Random random;

    final EventLoop loop;

    final SimulatedZooKeeper server;

    final IdLayout layout = IdLayout.defaults();

    final IssuedIdChecker checker = new IssuedIdChecker(layout, START_MILLIS * 1_000_000L);

    final List<SimulatedNode> nodes = new ArrayList<>();

    final int maxWorkerId;

    final ClockBackwardsPolicy policy;

    private final Deque<String> trace = new ArrayDeque<>();

    private boolean healed;

    /**
     * Whether any clock, a twin's included, jumped a minute or more ahead in this run.
     */
    boolean farJumped;

    LeaseSimulation(long seed) {
        this(seed, true);
    }

    /**
     * A run of {@code seed}; without {@code farJumps} its faults are exactly those the
     * seed drew before far forward jumps were added, as the regression seeds need.
     */
    LeaseSimulation(long seed, boolean farJumps) {
        this.seed = seed;
        this.farJumps = farJumps;
        this.random = new Random(seed);
        this.loop = new EventLoop(START_MILLIS * 1_000_000L, this::onTime);
        this.server = new SimulatedZooKeeper(SimulatedZooKeeper.DEFAULT_TICK_MILLIS, START_MILLIS);
        int nodeCount = 2 + random.nextInt(3);
        // Sometimes exactly enough worker ids, sometimes one spare: hand-overs and full
        // ranges both happen.
        this.maxWorkerId = nodeCount - 1 + random.nextInt(2);
        this.policy = random.nextInt(4) == 0 ? ClockBackwardsPolicy.BORROW : ClockBackwardsPolicy.WAIT;
        for (int i = 0; i < nodeCount; i++) {
            String name = "node-" + (char) ('a' + i);
            nodes.add(new SimulatedNode(name, name, newClock(), false));
        }
    }

    NodeClock newClock() {
        // Within NTP's reach: tens of milliseconds apart, rates within 100 ppm.
        return new NodeClock(loop, 1 + (random.nextDouble() - 0.5) * 2e-4, random.nextInt(41) - 20);
    }

    /** Runs the whole schedule and returns what the checker saw. */
    SimulationResult run() {
        for (SimulatedNode node : nodes) {
            start(node);
        }
        Nemesis nemesis = new Nemesis(this);
        long faultEnd = loop.nowNanos() + FAULT_PHASE.toNanos();
        nemesis.schedule(faultEnd);
        try {
            loop.runUntil(faultEnd);
            heal();
            // After healing, run until every node issues again (and a little longer), or
            // the bound.
            long healEnd = faultEnd + HEAL_PHASE.toNanos();
            while (loop.nowNanos() < healEnd && !allRecovered()) {
                loop.runUntil(Math.min(healEnd, loop.nowNanos() + 500_000_000L));
            }
            loop.runUntil(Math.min(healEnd, loop.nowNanos() + 2_000_000_000L));
        }
        catch (RuntimeException | AssertionError ex) {
            checker.violation(loop.nowNanos(), "the simulation itself failed: " + ex);
            return result(ex);
        }
        for (SimulatedNode node : nodes) {
            if (node.running() && node.recoveredAfterNanos < 0 && !waitsOutAFarAheadReservation(node)) {
                checker.violation(loop.nowNanos(), node + " did not issue again within " + HEAL_PHASE + " of healing ("
                        + node.life.lease.snapshot() + ")");
            }
        }
        return result(null);
    }

    /**
     * A node that claimed, with the right clock, a worker id reserved far ahead by a
     * clock that jumped: its claim found no free worker id usable sooner (it prefers
     * one), so it waits, as the lease promises, past the hand-over bound and the heal
     * phase.
     */
    private boolean waitsOutAFarAheadReservation(SimulatedNode node) {
        LeaseSnapshot snapshot = node.life.lease.snapshot();
        return farJumped && snapshot.state() == LeaseState.ACQUIRING
                && snapshot.handoverWait().compareTo(MAX_HANDOVER_WAIT) > 0;
    }

    private boolean allRecovered() {
        return nodes.stream().allMatch(node -> !node.running() || node.recoveredAfterNanos >= 0);
    }

    private SimulationResult result(Throwable failure) {
        checker.checkStints(loop.nowNanos());
        List<Long> recoveries = new ArrayList<>();
        int farAhead = 0;
        int farAheadRecovered = 0;
        for (SimulatedNode node : nodes) {
            if (node.farAhead) {
                farAhead++;
                farAheadRecovered += node.recoveredAfterNanos >= 0 ? 1 : 0;
            }
            else if (node.recoveredAfterNanos >= 0) {
                recoveries.add(node.recoveredAfterNanos);
            }
        }
        return new SimulationResult(seed, checker.ids(), checker.duplicates(), checker.overlaps(), checker.violations(),
                recoveries, farAhead, farAheadRecovered, checker.refusals(), List.copyOf(trace), failure);
    }

    /**
     * The client's view of passing time (pings, expiry detection) and the server's,
     * before every event.
     */
    private void onTime() {
        server.advanceTo(Math.floorDiv(loop.nowNanos(), 1_000_000L));
        for (SimulatedNode node : nodes) {
            NodeLife life = node.life;
            if (life != null && life.alive && life.pausedUntilNanos <= loop.nowNanos()) {
                life.client.onTime();
            }
        }
    }

    // ---------------------------------------------------------------- lives

    void start(SimulatedNode node) {
        start(node, node.disk);
    }

    void start(SimulatedNode node, ReservationLog disk) {
        NodeClock clock = node.clock;
        SimulatedZnodeStore client = new SimulatedZnodeStore(server, () -> Math.floorDiv(clock.nanoTime(), 1_000_000L),
                (int) SESSION.toMillis(), random);
        NodeLife life = new NodeLife(node.name + "#" + (++node.lives) + "@" + node.host, client);
        ZooKeeperLeaseSettings settings = ZooKeeperLeaseSettings.builder(node.name)
            .workerIdRange(node.minWorkerId, node.maxWorkerId < 0 ? maxWorkerId : node.maxWorkerId)
            .sessionTimeout(SESSION)
            .heartbeatInterval(HEARTBEAT)
            .safetyMargin(Duration.ofSeconds(1))
            .endpoint(node.host, 8080)
            .build();
        life.lease = new ZooKeeperWorkerLease(client, settings, clock, new LifeScheduler(loop, life, clock), disk);
        life.generator = IdGenerator.builder()
            .layout(layout)
            .lease(life.lease)
            .timeSource(clock)
            .clockBackwardsPolicy(policy)
            .maxBorrow(Duration.ofMillis(50))
            .maxLeaseWait(Duration.ZERO)
            .build();
        life.lease
            .addStateListener(snapshot -> trace(life + " " + snapshot.state() + " worker=" + snapshot.workerId()));
        node.life = life;
        trace("start " + life + " clock " + clock);
        client.connect();
        life.lease.start();
        scheduleIssue(node, life);
    }

    /** Issues ids at random moments, often in bursts, as long as the life lasts. */
    private void scheduleIssue(SimulatedNode node, NodeLife life) {
        long delay = random.nextInt(8) == 0 ? 1_000_000L : (1 + random.nextInt(60)) * 1_000_000L;
        loop.schedule(life, delay, () -> {
            issue(node, life);
            scheduleIssue(node, life);
        });
    }

    void issue(SimulatedNode node, NodeLife life) {
        try {
            long id = life.generator.nextId();
            checker.issued(life.key, id, life.lease.window().notBeforeMillis(), loop.nowNanos());
            if (healed && node.recoveredAfterNanos < 0 && node.life == life) {
                node.recoveredAfterNanos = Math.max(0, loop.nowNanos() - node.healedAtNanos);
            }
        }
        catch (IdGenerationException ex) {
            checker.refused(ex.reason());
        }
    }

    /**
     * kill -9: the process is gone; its session lives on in ZooKeeper until it expires.
     */
    void crash(SimulatedNode node) {
        NodeLife life = node.life;
        if (life != null && life.alive) {
            life.alive = false;
            trace("crash " + life);
        }
    }

    /** SIGTERM: the lease is released, the client closed. */
    void stop(SimulatedNode node) {
        NodeLife life = node.life;
        if (life != null && life.alive && life.pausedUntilNanos <= loop.nowNanos()) {
            trace("graceful stop " + life);
            life.lease.close();
            life.client.close();
            life.alive = false;
        }
    }

    void trace(String line) {
        if (trace.size() == TRACE_LINES) {
            trace.removeFirst();
        }
        trace.addLast(String.format("t=%9.3fs %s", (loop.nowNanos() - START_MILLIS * 1_000_000L) / 1e9, line));
    }

    // ---------------------------------------------------------------- healing

    private void heal() {
        healed = true;
        trace("heal");
        for (SimulatedNode node : nodes) {
            if (node.twin && node.running()) {
                // The operator finds the second process under the same name and stops it
                // (kills it if stuck).
                if (node.life.pausedUntilNanos > loop.nowNanos()) {
                    crash(node);
                }
                else {
                    stop(node);
                }
            }
        }
        nodes.removeIf(node -> node.twin);
        for (SimulatedNode node : nodes) {
            NodeLife life = node.life;
            if (life != null && life.alive) {
                life.pausedUntilNanos = Math.min(life.pausedUntilNanos, loop.nowNanos());
                if (!life.client.isConnected()) {
                    life.client.reconnect();
                }
                life.client.keepReplies();
                life.client.staleReads(false);
            }
            boolean narrowed = node.maxWorkerId >= 0;
            node.minWorkerId = 0;
            node.maxWorkerId = -1;
            if (narrowed && node.running()) {
                stop(node); // the operator puts the whole range back: restarted below
            }
            if (node.farAhead && node.running()) {
                // The operator's answer to a clock found far ahead: correct it and
                // restart.
                stop(node);
            }
            long correction = -node.clock.offsetMillis() + random.nextInt(41) - 20;
            node.clock.step(correction);
            node.clock.rate(1 + (random.nextDouble() - 0.5) * 2e-4);
            if (!node.running()) {
                start(node);
            }
            node.healedAtNanos = loop.nowNanos();
        }
    }

    long now() {
        return loop.nowNanos();
    }

}
