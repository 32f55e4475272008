import dev.idgen.bench.load.IdVerifier;
import dev.idgen.bench.load.Verification;
import dev.idgen.bench.load.Violation;
import dev.idgen.bench.load.WorkerStint;
import dev.idgen.core.IdLayout;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end fault test of a real local cluster (deploy/local/cluster.sh): while dense load (several
 * streams per node pulling small batches back to back) takes ids from every node, inject one fault after
 * another and require zero duplicates over the whole run, no worker id on two node lives at once, a
 * frozen-then-thawed node that refuses before it claims again, and every node ready at the end. Prints
 * the ids issued and, per fault, how long each node was not ready.
 *
 * <p>A <i>life</i> is one process of a node: every start of a node begins a new one, and the verifier
 * treats each life as a node of its own. So a restarted node that issues a timestamp its previous life
 * already used under the same worker id breaks "one node per worker id at a time" even when no equal id
 * happened to be drawn: the check does not depend on the load being dense enough to collide.
 *
 * <p>Run by deploy/local/fault-test.sh (which builds nothing: it needs the server jar and
 * benchmarks.jar, whose {@link IdVerifier} does the id checks). Single-file source program: no build
 * step of its own. Exit status 0 only when every check passed.
 */
public final class FaultTest {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final Pattern QUOTED_ID = Pattern.compile("\"?(\\d{1,19})\"?");

    /** Nodes the cluster starts; two more are kept spare: one for the take-over drill, one for the twin. */
    private static final int NODES = 3;
    private static final int SPARE = NODES + 1;
    /** Runs under node2's name while node2 runs. */
    private static final int TWIN = NODES + 2;
    private static final int ALL_NODES = NODES + 2;
    /** Upper bound on node lives in one run (every start is one); the verifier sees each as a node. */
    private static final int MAX_LIVES = 64;
    /** The node whose wall clock is stepped inside the running process (libfaketime), when available. */
    private static final int STEPPED = 1;
    /** How far ahead of true time the forward-jump drill runs a node: the largest idgen.clock.offset. */
    private static final Duration FORWARD_JUMP = Duration.ofHours(1);

    private final Path script;
    private final Path runDir;
    private final Duration sessionTimeout;
    private final Duration clockSkew;
    private final Duration stepBack;
    private final Duration wipeSkew;
    private final Duration forwardJumpReadyLimit;
    private final boolean forwardJumpStrict;
    private final int batch;
    private final int streamsPerNode;
    /** Whether to step node1's clock inside the running process (libfaketime) rather than emulate the step. */
    private final boolean faketimeWanted;
    private boolean faketime;
    private final IdLayout layout = IdLayout.defaults();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500))
            .build();

    private final String[] baseUrls = new String[ALL_NODES + 1];
    private final AtomicBoolean loadRunning = new AtomicBoolean(true);
    private final AtomicLongArray issued = new AtomicLongArray(ALL_NODES + 1);
    private final AtomicLongArray refused = new AtomicLongArray(ALL_NODES + 1);
    private final AtomicLongArray failed = new AtomicLongArray(ALL_NODES + 1);
    /** Worker id of each node's latest id, or -1. */
    private final AtomicIntegerArray lastWorkerId = new AtomicIntegerArray(ALL_NODES + 1);
    /** Every node life so far, in start order; a life's index is its node index for the verifier. */
    private final List<Life> lives = new CopyOnWriteArrayList<>();
    /** Index of each node's current life. */
    private final AtomicIntegerArray currentLife = new AtomicIntegerArray(ALL_NODES + 1);
    /** Nodes a lenient criterion lets off the readiness checks (the forward-jump node today). */
    private final Set<Integer> excused = ConcurrentHashMap.newKeySet();
    /** Nodes started during the phase now running (beyond the three that run throughout). */
    private final Set<Integer> startedInPhase = ConcurrentHashMap.newKeySet();
    /** Lines for the summary: per scenario, what it measured. */
    private final List<String> findings = new ArrayList<>();
    private long startMillis;
    /** Per node: readiness samples (time, ready) from the monitor thread. */
    private final List<List<long[]>> readiness = new ArrayList<>();
    private final List<Phase> phases = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private int checks;
    private IdVerifier verifier;

    private record Phase(String name, long startMillis, long endMillis, Set<Integer> shown) {
    }

    /**
     * One process of a node. Its ids are checked in its own clock's frame: a request's time span is
     * shifted by the offset the life was started with, so a skewed node needs no wider tolerance.
     */
    private static final class Life {
        final int index;
        final int node;
        final String label;
        final long offsetMillis;
        private final BitSet millis = new BitSet();
        private long ids;
        private long minTimestamp = Long.MAX_VALUE;
        private long maxTimestamp = Long.MIN_VALUE;
        private int firstWorkerId = -1;
        private int lastWorkerId = -1;
        private final long baseMillis;

        Life(int index, int node, String label, long offsetMillis, long baseMillis) {
            this.index = index;
            this.node = node;
            this.label = label;
            this.offsetMillis = offsetMillis;
            this.baseMillis = baseMillis;
        }

        synchronized void record(long timestamp, int workerId, int count) {
            ids += count;
            minTimestamp = Math.min(minTimestamp, timestamp);
            maxTimestamp = Math.max(maxTimestamp, timestamp);
            if (firstWorkerId < 0) {
                firstWorkerId = workerId;
            }
            lastWorkerId = workerId;
            long bit = timestamp - baseMillis;
            if (bit >= 0 && bit < Integer.MAX_VALUE) {
                millis.set((int) bit);
            }
        }

        synchronized long ids() {
            return ids;
        }

        synchronized long minTimestamp() {
            return minTimestamp;
        }

        synchronized long maxTimestamp() {
            return maxTimestamp;
        }

        synchronized int firstWorkerId() {
            return firstWorkerId;
        }

        synchronized int lastWorkerId() {
            return lastWorkerId;
        }

        /** Share of the milliseconds from its first id to its last in which this life issued at least one id. */
        synchronized double density() {
            return ids == 0 ? 0 : (double) millis.cardinality() / (maxTimestamp - minTimestamp + 1);
        }

        synchronized int millisUsed() {
            return millis.cardinality();
        }

        String name() {
            return "node" + node + "#" + index;
        }
    }

    private FaultTest(Path script, Path runDir, Duration sessionTimeout, Duration clockSkew, Duration stepBack,
            Duration wipeSkew, Duration forwardJumpReadyLimit, boolean forwardJumpStrict, int batch, int streamsPerNode,
            boolean faketimeWanted) {
        this.script = script;
        this.runDir = runDir;
        this.sessionTimeout = sessionTimeout;
        this.clockSkew = clockSkew;
        this.stepBack = stepBack;
        this.wipeSkew = wipeSkew;
        this.forwardJumpReadyLimit = forwardJumpReadyLimit;
        this.forwardJumpStrict = forwardJumpStrict;
        this.batch = batch;
        this.streamsPerNode = streamsPerNode;
        this.faketimeWanted = faketimeWanted;
        for (int i = 0; i <= ALL_NODES; i++) {
            readiness.add(new ArrayList<>());
            lastWorkerId.set(i, -1);
        }
    }

    public static void main(String[] args) throws Exception {
        Path script = Path.of(env("FAULT_CLUSTER_SCRIPT", "deploy/local/cluster.sh"));
        Path runDir = Path.of(env("IDGEN_RUN_DIR", "deploy/local/run"));
        Duration session = Duration.ofSeconds(Long.parseLong(env("FAULT_SESSION_TIMEOUT_SECONDS", "4")));
        // Longer than a node's restart takes here (20-40 s on two busy cores), so the restarted node's clock
        // is still behind the reservation it left.
        Duration skew = Duration.ofSeconds(Long.parseLong(env("FAULT_CLOCK_SKEW_SECONDS", "60")));
        // A step back longer than a restart takes here (20-40 s on two busy cores), so the restarted node
        // really has to wait for its clock to pass the ids it issued before the step.
        Duration stepBack = Duration.ofSeconds(Long.parseLong(env("FAULT_STEP_BACK_SECONDS", "45")));
        Duration wipeSkew = Duration.ofSeconds(Long.parseLong(env("FAULT_WIPE_SKEW_SECONDS", "60")));
        Duration jumpLimit = Duration.ofSeconds(Long.parseLong(env("FAULT_FORWARD_JUMP_READY_SECONDS", "60")));
        // false today: a node back from a forward jump re-claims its old worker id and waits out the jump.
        // Set it to true once the claim prefers a free worker id: then the node must be ready within the limit.
        boolean jumpStrict = Boolean.parseBoolean(env("FAULT_FORWARD_JUMP_STRICT", "true"));
        int batch = Integer.parseInt(env("FAULT_BATCH", "20"));
        int streams = Integer.parseInt(env("FAULT_STREAMS_PER_NODE", "2"));
        // Off by default: under libfaketime every clock read of node1 costs microseconds, and its start
        // takes minutes on two busy cores. The default emulates the step by a restart behind.
        boolean faketime = env("FAULT_FAKETIME", "0").equals("1");
        FaultTest test = new FaultTest(script, runDir, session, skew, stepBack, wipeSkew, jumpLimit, jumpStrict,
                batch, streams, faketime);
        int status;
        try {
            status = test.run();
        } finally {
            test.cluster(List.of("down"), false);
        }
        System.exit(status);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private int run() throws Exception {
        faketime = faketimeWanted && !cluster(List.of("faketime-lib"), false).isBlank();
        log("starting the cluster: 3 ZooKeeper servers, " + NODES + " idgen nodes (session timeout "
                + sessionTimeout.toSeconds() + "s), worker range 0-" + NODES + "; node" + STEPPED
                + (faketime ? " under libfaketime (its clock can be stepped while it runs)"
                        : ": the step-back drill is emulated by a restart behind"
                                + (faketimeWanted ? " (libfaketime not found)" : " (FAULT_FAKETIME=1 steps it in the process)")));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("IDGEN_NODES", String.valueOf(NODES));
        env.put("IDGEN_SPARE_NODES", String.valueOf(ALL_NODES - NODES));
        // One free worker id beyond the three nodes: a node that lost its id can claim another.
        env.put("IDGEN_WORKER_RANGE", "0-" + NODES);
        env.put("IDGEN_SESSION_TIMEOUT", sessionTimeout.toSeconds() + "s");
        env.put("IDGEN_HEARTBEAT", "1s");
        env.put("IDGEN_FAKETIME_NODES", faketime ? String.valueOf(STEPPED) : "");
        startMillis = System.currentTimeMillis();
        for (int n = 1; n <= ALL_NODES; n++) {
            newLife(n, 0, "");
        }
        cluster(List.of("up"), true, env);
        for (int n = 1; n <= ALL_NODES; n++) {
            baseUrls[n] = "http://127.0.0.1:" + Files.readString(runDir.resolve("node" + n + "/port")).trim();
        }

        // Every life is checked in its own clock's frame, so the tolerance only covers scheduling.
        verifier = new IdVerifier(layout, MAX_LIVES, System.currentTimeMillis(), 5_000);
        List<Thread> threads = new ArrayList<>();
        for (int n = 1; n <= ALL_NODES; n++) {
            for (int s = 1; s <= streamsPerNode; s++) {
                int node = n;
                Thread t = new Thread(() -> pull(node), "load-" + n + "-" + s);
                t.start();
                threads.add(t);
            }
        }
        Thread monitor = new Thread(this::monitorReadiness, "readiness");
        monitor.setDaemon(true);
        monitor.start();
        // Let the streams and the monitor open their connections before anything is measured.
        pause(Duration.ofSeconds(1));
        long faultsStart = System.currentTimeMillis();

        phase("steady load", () -> pause(Duration.ofSeconds(5)));
        phase("kill -9 node1, restart it", this::killAndRestart);
        phase("SIGSTOP node2 past its session, node4 takes its worker id, SIGCONT", this::freezeAndTakeOver);
        phase("kill -9 the ZooKeeper leader, restart it", this::killZooKeeperLeader);
        phase("kill -9 a ZooKeeper majority, restart it", this::killZooKeeperMajority);
        phase("restart node3 with its clock " + clockSkew.toSeconds() + "s behind its reservation", this::restartWithClockBehind);
        phase("node1's clock stepped back " + stepBack.toSeconds() + "s under load, graceful restart",
                this::stepBackThenGracefulRestart);
        phase("ZooKeeper wiped and restarted empty, node1 restarted " + wipeSkew.toSeconds() + "s behind",
                this::wipeZooKeeperThenRestartBehind);
        phase("a second process under node2's name (node5)", this::sameNameTwice);
        phase("node3 runs +1h ahead under load, then restarts with the right clock", this::forwardJumpThenRestart);
        phase("steady load after the faults", () -> pause(Duration.ofSeconds(3)));

        for (int n = 1; n <= NODES; n++) {
            if (!excused.contains(n)) {
                check(ready(n), "node" + n + " is ready at the end");
            }
        }
        loadRunning.set(false);
        for (Thread t : threads) {
            t.join(10_000);
        }
        monitor.interrupt();
        Verification verification = verifier.verify();
        report(verification, System.currentTimeMillis() - faultsStart);
        return failures.isEmpty() ? 0 : 1;
    }

    // --- lives -------------------------------------------------------------------------------------

    /** Starts counting a new life of {@code node}: call after its previous process is gone, before its start. */
    private Life newLife(int node, long offsetMillis, String label) {
        if (lives.size() >= MAX_LIVES) {
            throw new IllegalStateException("more than " + MAX_LIVES + " node lives");
        }
        // Ids up to an hour behind the start still get a bit (a life whose clock is behind).
        Life life = new Life(lives.size(), node, label, offsetMillis, startMillis - FORWARD_JUMP.toMillis());
        lives.add(life);
        currentLife.set(node, life.index);
        return life;
    }

    private Life life(int node) {
        return lives.get(currentLife.get(node));
    }

    /** Stops a node gracefully (SIGTERM, waits for the process to end). */
    private void term(int node) throws IOException, InterruptedException {
        cluster(List.of("node", "term", String.valueOf(node)), true);
    }

    /** Starts a new life of a node whose process is gone; {@code offsetMillis} is the clock it runs on. */
    private Life start(int node, long offsetMillis, String label, String... args) throws IOException, InterruptedException {
        Life life = newLife(node, offsetMillis, label);
        List<String> command = new ArrayList<>(List.of("node", "start", String.valueOf(node)));
        command.addAll(List.of(args));
        cluster(command, true);
        if (node > NODES) {
            startedInPhase.add(node);
        }
        return life;
    }

    /** The node log's lines from a life onwards that mention any of the given words (the lease's story). */
    private List<String> nodeLog(int node, long fromLine, String... words) {
        List<String> found = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(runDir.resolve("node" + node + "/node.log"));
            for (int i = (int) Math.min(fromLine, lines.size()); i < lines.size(); i++) {
                for (String word : words) {
                    if (lines.get(i).contains(word)) {
                        found.add(lines.get(i));
                        break;
                    }
                }
            }
        } catch (IOException e) {
            found.add("(no log: " + e + ")");
        }
        return found;
    }

    private long nodeLogLines(int node) {
        try (var lines = Files.lines(runDir.resolve("node" + node + "/node.log"))) {
            return lines.count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static final Pattern RELEASED = Pattern.compile("released worker id (\\d+) \\(final reservation ([^)]+)\\)");

    /** The final reservation the node's last release wrote, from its log, or -1. */
    private long finalReservation(int node, long fromLine) {
        long found = -1;
        for (String line : nodeLog(node, fromLine, "released worker id")) {
            Matcher m = RELEASED.matcher(line);
            if (m.find() && !m.group(2).equals("none")) {
                found = Instant.parse(m.group(2)).toEpochMilli();
            }
        }
        return found;
    }

    private void printLog(String title, List<String> lines) {
        log(title + (lines.isEmpty() ? ": (nothing)" : ":"));
        for (String line : lines) {
            System.out.println("    | " + abbreviate(line.replaceFirst("^\\S+\\s+", ""), 400));
        }
    }

    // --- faults ------------------------------------------------------------------------------------

    private void killAndRestart() throws Exception {
        cluster(List.of("node", "kill", "1"), true);
        pause(Duration.ofSeconds(1));
        start(1, 0, "");
        awaitReady(1, Duration.ofSeconds(90));
    }

    private void freezeAndTakeOver() throws Exception {
        int stale = lastWorkerId.get(2);
        check(stale >= 0, "node2 issued ids before the freeze (worker id known)");
        cluster(List.of("node", "stop", "2"), true);
        // Past the session timeout, ZooKeeper expires node2's session and deletes its claim.
        pause(sessionTimeout.plusSeconds(3));
        log("node4 claims worker id " + stale + " only (the id frozen node2 held)");
        start(SPARE, 0, "", "--idgen.worker.range=" + stale);
        awaitReady(SPARE, Duration.ofSeconds(90));
        awaitIssued(SPARE, Duration.ofSeconds(20));

        cluster(List.of("node", "cont", "2"), true);
        // The thawed node's window ran out while it was frozen: it must refuse, never issue as `stale`.
        ProbeResult probe = probe(2);
        log("first answer of thawed node2: " + probe);
        check(probe.status == 503 || (probe.status == 200 && probe.workerId != stale),
                "thawed node2 refuses (503) rather than issue with its stale worker id " + stale + " (got " + probe + ")");
        awaitReady(2, Duration.ofSeconds(60));
        awaitIssued(2, Duration.ofSeconds(20));
        check(lastWorkerId.get(2) != stale,
                "thawed node2 claimed another worker id (" + lastWorkerId.get(2) + ", not " + stale + ")");
        term(SPARE);
    }

    private void killZooKeeperLeader() throws Exception {
        String leader = cluster(List.of("zk-leader"), true).trim();
        log("ZooKeeper leader is zk" + leader);
        cluster(List.of("zk", "kill", leader), true);
        pause(Duration.ofSeconds(3));
        cluster(List.of("zk", "start", leader), true);
        cluster(List.of("zk-wait-quorum", "60"), true);
        awaitAllReady(Duration.ofSeconds(60));
    }

    private void killZooKeeperMajority() throws Exception {
        String leader = cluster(List.of("zk-leader"), true).trim();
        String other = leader.equals("1") ? "2" : "1";
        cluster(List.of("zk", "kill", leader), true);
        cluster(List.of("zk", "kill", other), true);
        // Longer than the session timeout: the nodes' windows run out and they stop issuing.
        pause(sessionTimeout.plusSeconds(2));
        cluster(List.of("zk", "start", leader), true);
        cluster(List.of("zk", "start", other), true);
        cluster(List.of("zk-wait-quorum", "60"), true);
        awaitAllReady(Duration.ofSeconds(90));
    }

    private void restartWithClockBehind() throws Exception {
        int held = lastWorkerId.get(3);
        check(held >= 0, "node3 issued ids before the clock drill (worker id known)");
        term(3);
        // Same worker id, clock further behind than a restart takes, so still behind the reservation the
        // previous holder (node3 itself) left: the node must wait it out or refuse, never issue a
        // timestamp at or below one already issued under that id (the verifier's life overlap and
        // duplicate checks see any such id).
        start(3, -clockSkew.toMillis(), "clock -" + clockSkew.toSeconds() + "s", "--idgen.worker.range=" + held,
                "--idgen.clock.offset=-PT" + clockSkew.toSeconds() + "S");
        if (!await(() -> answers(3), Duration.ofSeconds(90))) {
            check(false, "node3 with a skewed clock answers HTTP within 90s");
        }
        long issuedBefore = issued.get(3);
        long refusedBefore = refused.get(3);
        pause(Duration.ofSeconds(10));
        log("node3, clock " + clockSkew.toSeconds() + "s behind, in 10 s: " + (issued.get(3) - issuedBefore)
                + " ids issued, " + (refused.get(3) - refusedBefore) + " requests refused; readiness: "
                + abbreviate(readinessBody(3)));
        term(3);
        start(3, 0, "");
        awaitReady(3, Duration.ofSeconds(90));
    }

    /**
     * The clock of node1, issuing under dense load, is stepped back inside the running process (libfaketime),
     * so it has issued ids since its last heartbeat when the step lands; it is stopped gracefully right
     * after, and restarted on the same stepped-back clock. Its release must leave a final reservation at or
     * above every id it issued (the generator's own record, not a clock read that the step lowered), and
     * the restarted life must wait for its clock to pass it, never issue a timestamp its previous life used.
     * The restarted life gets a peer clock limit above the step, so that the peer vote does not refuse it
     * anyway: the reservation and the durable local floor are then the only guards under test. Without
     * libfaketime the step is emulated: a graceful stop after a burst, then a start with the clock behind.
     */
    private void stepBackThenGracefulRestart() throws Exception {
        int node = STEPPED;
        long back = stepBack.toSeconds();
        Life before = life(node);
        awaitIssued(node, Duration.ofSeconds(20));
        long logFrom = nodeLogLines(node);
        long stepAt = System.currentTimeMillis();
        if (faketime) {
            long refusedBefore = refused.get(node);
            long issuedBefore = issued.get(node);
            cluster(List.of("node", "clock", String.valueOf(node), "-" + back), true);
            // libfaketime reads the offset again within a second; the generator's first refusal shows it landed.
            boolean stepped = await(() -> refused.get(node) > refusedBefore, Duration.ofSeconds(5));
            stepAt = System.currentTimeMillis();
            check(stepped, "node" + node + " refuses once its clock is stepped back " + back + " s");
            log("node" + node + "'s clock stepped back " + back + " s while issuing (" + (issued.get(node) - issuedBefore)
                    + " ids between the step's write and its first refusal)");
        } else {
            log("EMULATED step (" + (faketimeWanted ? "libfaketime not found" : "FAULT_FAKETIME=0") + "): a graceful"
                    + " stop under load, then a start " + back + " s behind (no close on a stepped clock)");
        }
        long highestBefore = before.maxTimestamp();
        term(node);
        long stoppedAt = System.currentTimeMillis();
        long finalReservation = finalReservation(node, logFrom);
        long highest = before.maxTimestamp();
        log("node" + node + " stopped " + (stoppedAt - stepAt) + " ms after the step; highest id timestamp seen from it "
                + time(highest) + " (" + (highest - highestBefore) + " ms after the one seen before the step); final"
                + " reservation " + (finalReservation < 0 ? "not logged" : time(finalReservation)));
        check(finalReservation >= highest, "node" + node + "'s final reservation (" + (finalReservation < 0 ? "none"
                : time(finalReservation)) + ") covers the highest id it issued (" + time(highest) + ")");

        long restartLogFrom = nodeLogLines(node);
        long startAt = System.currentTimeMillis();
        // Within this limit the peer vote accepts the stepped clock; young-store floor: 2 x limit after the
        // store's creation, long past by now.
        String peerLimit = "--idgen.clock.peer-critical-threshold=" + (back + 10) + "s";
        Life after = faketime ? start(node, -back * 1000, "clock -" + back + "s", peerLimit)
                : start(node, -back * 1000, "clock -" + back + "s", peerLimit, "--idgen.clock.offset=-PT" + back + "S");
        boolean up = await(() -> ready(node), Duration.ofSeconds(120));
        long readyAt = System.currentTimeMillis();
        check(up, "node" + node + " restarted " + back + " s behind is ready within 120 s");
        printLog("node" + node + " after the restart " + back + " s behind", nodeLog(node, restartLogFrom,
                "claimed worker id", "waits", "passed the previous", "lost its data", "refusing"));
        awaitIssued(node, Duration.ofSeconds(20));
        pause(Duration.ofSeconds(3));
        boolean sameWorker = after.firstWorkerId() == before.lastWorkerId();
        if (sameWorker) {
            check(after.minTimestamp() > highest, "node" + node + "'s restarted life starts after its previous one on"
                    + " worker id " + after.firstWorkerId() + " (first " + time(after.minTimestamp()) + ", previous last "
                    + time(highest) + ")");
        }
        finding("step back: node" + node + " not ready for " + (readyAt - startAt) + " ms after its restart "
                + back + " s behind (" + (faketime ? "clock stepped in the running process" : "EMULATED by a restart")
                + "); worker id " + before.lastWorkerId() + " -> " + after.firstWorkerId() + ", first id of the new life "
                + (after.minTimestamp() - highest) + " ms after the last of the previous");
    }

    /**
     * All ZooKeeper servers are stopped, their data deleted and started again: an empty ensemble. node1 is
     * stopped before and started on the empty ensemble with its clock behind, so ZooKeeper has no record
     * of its worker id: the node's own durable floor and the young store's floor are what keep it from
     * issuing again under a timestamp it used. node2 and node3 keep running and re-claim on the new store.
     */
    private void wipeZooKeeperThenRestartBehind() throws Exception {
        int node = STEPPED;
        long behind = wipeSkew.toSeconds();
        Life before = life(node);
        term(node);
        long highest = before.maxTimestamp();
        long[] logFrom = new long[ALL_NODES + 1];
        for (int n = 1; n <= NODES; n++) {
            logFrom[n] = nodeLogLines(n);
        }
        long down = System.currentTimeMillis();
        for (int z = 1; z <= 3; z++) {
            cluster(List.of("zk", "term", String.valueOf(z)), true);
        }
        for (int z = 1; z <= 3; z++) {
            cluster(List.of("zk", "wipe", String.valueOf(z)), true);
        }
        for (int z = 1; z <= 3; z++) {
            cluster(List.of("zk", "start", String.valueOf(z)), true);
        }
        cluster(List.of("zk-wait-quorum", "60"), true);
        log("empty ensemble serving " + (System.currentTimeMillis() - down) + " ms after the first server stopped");
        if (faketime) {
            cluster(List.of("node", "clock", String.valueOf(node), "-" + behind), true);
        }
        long startAt = System.currentTimeMillis();
        Life skewed = faketime ? start(node, -behind * 1000, "clock -" + behind + "s, empty store")
                : start(node, -behind * 1000, "clock -" + behind + "s, empty store", "--idgen.clock.offset=-PT" + behind + "S");
        awaitReady(2, Duration.ofSeconds(90));
        awaitReady(3, Duration.ofSeconds(90));
        if (!await(() -> answers(node), Duration.ofSeconds(90))) {
            check(false, "node" + node + " with a skewed clock answers HTTP within 90s");
        }
        long answeredAt = System.currentTimeMillis();
        long issuedBefore = issued.get(node);
        long refusedBefore = refused.get(node);
        boolean readyWhileBehind = await(() -> ready(node), Duration.ofSeconds(5));
        pause(Duration.ofSeconds(1));
        log("node" + node + ", clock " + behind + "s behind on the empty store, " + (System.currentTimeMillis() - answeredAt)
                + " ms after it answered: " + (issued.get(node) - issuedBefore) + " ids issued, "
                + (refused.get(node) - refusedBefore)
                + " requests refused; ready: " + readyWhileBehind + "; readiness: " + abbreviate(readinessBody(node)));
        printLog("node" + node + " on the empty store", nodeLog(node, logFrom[node], "claimed worker id", "waits",
                "lost its data", "refusing", "passed the previous", "released worker id"));
        for (int n = 2; n <= NODES; n++) {
            printLog("node" + n + " (kept running) on the empty store", nodeLog(n, logFrom[n], "claimed worker id",
                    "lost its data", "lost worker id", "waits"));
        }
        if (skewed.ids() > 0 && skewed.firstWorkerId() == before.lastWorkerId()) {
            check(skewed.minTimestamp() > highest, "node" + node + " on the empty store starts after its previous life"
                    + " on worker id " + skewed.firstWorkerId());
        }
        long skewedEnd = System.currentTimeMillis();
        term(node);
        if (faketime) {
            cluster(List.of("node", "clock", String.valueOf(node), "+0"), true);
        }
        long fixedAt = System.currentTimeMillis();
        start(node, 0, "");
        awaitReady(node, Duration.ofSeconds(90));
        finding("ZooKeeper wipe: node" + node + " " + behind + " s behind on the empty store: "
                + (readyWhileBehind ? "ready" : "not ready") + " during the " + (skewedEnd - startAt) + " ms it ran skewed ("
                + skewed.ids() + " ids); with the right clock ready " + (System.currentTimeMillis() - fixedAt)
                + " ms after its start; node2/node3 not ready " + unreadyMillis(2, down, System.currentTimeMillis())
                + "/" + unreadyMillis(3, down, System.currentTimeMillis()) + " ms");
    }

    /**
     * A second process with node2's node name, on its own port and state directory, while node2 runs:
     * both must run with different worker ids (or the second wait or refuse), never the same one at once.
     */
    private void sameNameTwice() throws Exception {
        long logFrom = nodeLogLines(TWIN);
        long startAt = System.currentTimeMillis();
        Life twin = start(TWIN, 0, "named node-2", "--idgen.node-name=node-2");
        boolean up = await(() -> ready(TWIN), Duration.ofSeconds(90));
        long readyAt = System.currentTimeMillis();
        if (up) {
            awaitIssued(TWIN, Duration.ofSeconds(20));
            pause(Duration.ofSeconds(3));
        }
        int twinWorker = twin.lastWorkerId();
        int node2Worker = lastWorkerId.get(2);
        log("node5 (named node-2): " + (up ? "ready after " + (readyAt - startAt) + " ms" : "not ready within 90 s")
                + ", worker id " + twinWorker + "; node2 worker id " + node2Worker);
        printLog("node5's lease", nodeLog(TWIN, logFrom, "claimed worker id", "waits", "No free worker id", "lost worker id"));
        if (twin.ids() > 0) {
            check(twinWorker != node2Worker, "node5 under node2's name issues with another worker id than node2 ("
                    + twinWorker + " vs " + node2Worker + ")");
        }
        term(TWIN);
        finding("same name twice: node5 " + (up ? "ready after " + (readyAt - startAt) + " ms with worker id " + twinWorker
                : "not ready within 90 s (waits or refuses)") + ", node2 kept worker id " + node2Worker
                + " and was not ready for " + unreadyMillis(2, startAt, System.currentTimeMillis()) + " ms");
    }

    /**
     * node3 runs with its clock an hour ahead and issues under load, then restarts with the right clock.
     * node2 is stopped meanwhile: with two live nodes the peer vote cannot tell which clock is wrong, so
     * the node ahead is not refused and really issues (with three, it would be outvoted and issue nothing).
     * Zero duplicates is always required. The restarted node must be ready within
     * FAULT_FORWARD_JUMP_READY_SECONDS: its claim prefers a free worker id over its own previous one,
     * reserved an hour ahead (idgen.zookeeper.max-handover-wait). FAULT_FORWARD_JUMP_STRICT=false turns a
     * miss into a WARNING.
     */
    private void forwardJumpThenRestart() throws Exception {
        int node = 3;
        term(2);
        term(node);
        Life ahead = start(node, FORWARD_JUMP.toMillis(), "clock +1h", "--idgen.clock.offset=PT1H");
        awaitReady(node, Duration.ofSeconds(90));
        awaitIssued(node, Duration.ofSeconds(20));
        pause(Duration.ofSeconds(3));
        log("node3, clock +1h: " + ahead.ids() + " ids issued on worker id " + ahead.lastWorkerId() + ", up to "
                + time(ahead.maxTimestamp()));
        check(ahead.ids() > 0, "node3 issued ids with its clock 1 h ahead (else the drill tests nothing)");
        term(node);
        long logFrom = nodeLogLines(node);
        start(2, 0, "");
        long startAt = System.currentTimeMillis();
        Life back = start(node, 0, "clock right again");
        if (!await(() -> answers(node), Duration.ofSeconds(90))) {
            check(false, "node3 back on the right clock answers HTTP within 90s");
        }
        long answeredAt = System.currentTimeMillis();
        boolean up = await(() -> ready(node), forwardJumpReadyLimit);
        long readyAt = System.currentTimeMillis();
        awaitReady(2, Duration.ofSeconds(90));
        printLog("node3 back on the right clock", nodeLog(node, logFrom, "claimed worker id", "tries worker ids", "waits", "passed the previous"));
        String measured = "node3 answered " + (answeredAt - startAt) + " ms after its start, then "
                + (up ? "ready after " + (readyAt - answeredAt) + " ms" : "not ready for > " + forwardJumpReadyLimit.toSeconds()
                        + " s") + " (worker id " + (back.ids() > 0 ? back.firstWorkerId() : -1) + ")";
        if (!up) {
            String warning = "forward-jump: not ready for > " + forwardJumpReadyLimit.toSeconds()
                    + " s: the claim did not prefer a free worker id over its own, reserved an hour ahead";
            if (forwardJumpStrict) {
                check(false, warning);
            } else {
                log("WARNING " + warning);
                finding("WARNING " + warning);
                excused.add(node);
            }
        }
        finding("forward jump: " + measured);
    }

    private boolean answers(int node) {
        return !readinessBody(node).isEmpty();
    }

    private String readinessBody(int node) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrls[node] + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    // --- load and readiness --------------------------------------------------------------------------

    /**
     * One stream of a node (it runs several): a request only after the previous answer, as the verifier's
     * order rule needs, and the next one at once, so that the node issues in as many milliseconds as this
     * machine allows. Ids are recorded under the node's current life, in that life's clock frame.
     */
    private void pull(int node) {
        IdVerifier.Stream stream = verifier.newStream();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrls[node] + "/ids/batch?count=" + batch))
                .header("Accept", "text/plain").timeout(Duration.ofSeconds(2)).GET().build();
        while (loadRunning.get()) {
            // Read before sending: a life ends only once its process is gone, so an answer to this request
            // comes from this life or from none.
            Life life = life(node);
            long sent = System.currentTimeMillis();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long received = System.currentTimeMillis();
                if (response.statusCode() == 200) {
                    long[] ids = parseLines(response.body());
                    if (ids == null) {
                        stream.malformed(life.index, "unreadable body: " + abbreviate(response.body()));
                    } else {
                        stream.accept(life.index, sent + life.offsetMillis, received + life.offsetMillis, ids);
                        issued.addAndGet(node, ids.length);
                        if (ids.length > 0) {
                            lastWorkerId.set(node, layout.parse(ids[ids.length - 1]).workerId());
                            for (long id : ids) {
                                life.record(layout.toUnixMillis(layout.timestampOf(id)), layout.parse(id).workerId(), 1);
                            }
                        }
                    }
                } else {
                    refused.incrementAndGet(node);
                    sleepQuietly(20);
                }
            } catch (IOException e) {
                failed.incrementAndGet(node);
                sleepQuietly(e instanceof ConnectException ? 100 : 20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Ids one a line (Accept: text/plain), or null if a line is not a decimal id. */
    private static long[] parseLines(String body) {
        List<Long> ids = new ArrayList<>();
        int at = 0;
        while (at < body.length()) {
            int end = body.indexOf('\n', at);
            if (end < 0) {
                end = body.length();
            }
            String line = body.substring(at, end).trim();
            if (!line.isEmpty()) {
                try {
                    ids.add(Long.parseLong(line));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            at = end + 1;
        }
        return ids.isEmpty() ? null : ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] parseIds(String body) {
        int open = body.indexOf('[');
        int close = body.indexOf(']', open + 1);
        if (!body.contains("\"ids\"") || open < 0 || close < 0) {
            return null;
        }
        Matcher m = QUOTED_ID.matcher(body.substring(open + 1, close));
        List<Long> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private void monitorReadiness() {
        while (!Thread.currentThread().isInterrupted()) {
            for (int n = 1; n <= ALL_NODES; n++) {
                boolean up = ready(n);
                synchronized (readiness) {
                    readiness.get(n).add(new long[] {System.currentTimeMillis(), up ? 1 : 0});
                }
            }
            if (!sleepQuietly(100)) {
                return;
            }
        }
    }

    private boolean ready(int node) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrls[node] + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record ProbeResult(int status, int workerId, String body) {
        @Override
        public String toString() {
            return status + (workerId >= 0 ? " worker id " + workerId : "") + " " + abbreviate(body);
        }
    }

    /** One request to a node, outside the streams; any ids it gets are still checked for duplicates. */
    private ProbeResult probe(int node) throws InterruptedException {
        IdVerifier.Stream stream = verifier.newStream();
        long sent = System.currentTimeMillis();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrls[node] + "/ids/batch?count=" + batch))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            int workerId = -1;
            if (r.statusCode() == 200) {
                long[] ids = parseIds(r.body());
                if (ids != null && ids.length > 0) {
                    Life life = life(node);
                    stream.accept(life.index, sent + life.offsetMillis, System.currentTimeMillis() + life.offsetMillis, ids);
                    workerId = layout.parse(ids[0]).workerId();
                }
            }
            return new ProbeResult(r.statusCode(), workerId, r.body());
        } catch (IOException e) {
            return new ProbeResult(-1, -1, e.toString());
        }
    }

    // --- phases, waits, checks ---------------------------------------------------------------------

    private interface Action {
        void run() throws Exception;
    }

    private void phase(String name, Action action) throws Exception {
        log("=== " + name);
        startedInPhase.clear();
        long start = System.currentTimeMillis();
        try {
            action.run();
        } catch (RuntimeException | IOException e) {
            check(false, name + ": " + e.getMessage());
        }
        // Every node started at the beginning must be serving again before the next fault.
        awaitAllReady(Duration.ofSeconds(90));
        Set<Integer> shown = new java.util.TreeSet<>(startedInPhase);
        for (int n = 1; n <= NODES; n++) {
            shown.add(n);
        }
        Phase phase = new Phase(name, start, System.currentTimeMillis(), shown);
        phases.add(phase);
        // One line per scenario, comparable across runs and branches.
        StringBuilder line = new StringBuilder("time-not-ready [" + name + "] (" + (phase.endMillis - phase.startMillis)
                + " ms):");
        for (int n : shown) {
            line.append(" node").append(n).append("=").append(unreadyMillis(n, phase)).append("ms");
        }
        log(line.toString());
    }

    private void finding(String line) {
        findings.add(line);
    }

    private void awaitAllReady(Duration timeout) throws InterruptedException {
        for (int n = 1; n <= NODES; n++) {
            if (!excused.contains(n)) {
                awaitReady(n, timeout);
            }
        }
    }

    private void awaitReady(int node, Duration timeout) throws InterruptedException {
        if (!await(() -> ready(node), timeout)) {
            check(false, "node" + node + " ready within " + timeout.toSeconds() + "s");
        }
    }

    private void awaitIssued(int node, Duration timeout) throws InterruptedException {
        long before = issued.get(node);
        if (!await(() -> issued.get(node) > before, timeout)) {
            check(false, "node" + node + " issues ids within " + timeout.toSeconds() + "s");
        }
    }

    private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    private void check(boolean ok, String what) {
        checks++;
        if (!ok) {
            failures.add(what);
            log("FAILED: " + what);
        }
    }

    private String cluster(List<String> args, boolean required) throws IOException, InterruptedException {
        return cluster(args, required, Map.of());
    }

    private String cluster(List<String> args, boolean required, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("IDGEN_RUN_DIR", runDir.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        int status = p.waitFor();
        if (status != 0 && required) {
            throw new IOException("cluster.sh " + String.join(" ", args) + " exited with " + status);
        }
        return out;
    }

    // --- report ------------------------------------------------------------------------------------

    private void report(Verification v, long faultsMillis) {
        System.out.println();
        System.out.println("== ids");
        long total = 0;
        for (int n = 1; n <= ALL_NODES; n++) {
            total += issued.get(n);
            System.out.printf("node%d: %,d ids issued, %,d requests refused (503), %,d requests failed (no answer)%n",
                    n, issued.get(n), refused.get(n), failed.get(n));
        }
        System.out.printf("total: %,d ids received, %,d verified, %,d duplicates%n", total, v.ids(), v.duplicates());
        System.out.println();
        System.out.println("== worker ids per node life (stints, in id timestamp order, in the life's own clock;"
                + " density: share of milliseconds from its first id to its last in which it issued)");
        long millisUsed = 0;
        long millisSpanned = 0;
        for (Life life : lives) {
            if (life.ids() == 0) {
                continue;
            }
            StringBuilder line = new StringBuilder(String.format("%-9s %-28s %,9d ids, density %5.1f%%:", life.name(),
                    life.label.isEmpty() ? "" : "(" + life.label + ")", life.ids(), 100 * life.density()));
            for (WorkerStint s : v.stintsByNode().get(life.index)) {
                line.append(" ").append(s.workerId()).append(" [").append(time(s.firstMillis())).append("-")
                        .append(time(s.lastMillis())).append("]");
            }
            System.out.println(line);
            millisUsed += life.millisUsed();
            millisSpanned += life.maxTimestamp() - life.minTimestamp() + 1;
        }
        System.out.printf("load density over all lives: %.1f%% of milliseconds (%d streams per node, batches of %d)%n",
                100.0 * millisUsed / Math.max(1, millisSpanned), streamsPerNode, batch);
        System.out.println();
        System.out.println("== new scenarios");
        for (String f : findings) {
            System.out.println(f);
        }
        System.out.println();
        System.out.println("== time not ready per fault (ms)");
        StringBuilder header = new StringBuilder(String.format("%-72s %8s", "fault", "length"));
        for (int n = 1; n <= ALL_NODES; n++) {
            header.append(String.format(" %8s", "node" + n));
        }
        System.out.println(header);
        for (Phase phase : phases) {
            StringBuilder row = new StringBuilder(String.format("%-72s %8d", phase.name, phase.endMillis - phase.startMillis));
            for (int n = 1; n <= ALL_NODES; n++) {
                boolean shown = phase.shown.contains(n);
                row.append(shown ? String.format(" %8d", unreadyMillis(n, phase)) : String.format(" %8s", "-"));
            }
            System.out.println(row);
        }
        System.out.println("(node4 runs only in the take-over drill, node5 only in the same-name drill; there they count"
                + " as not ready until started)");
        System.out.printf("fault phases took %d s%n", faultsMillis / 1000);
        System.out.println();
        // A bad clock on one node should cost that node only: a node refuses on its peers' clocks only
        // when most live nodes disagree with it, so node1 and node2 must stay ready meanwhile.
        for (Phase phase : phases) {
            if (phase.name.startsWith("restart node3 with its clock")) {
                long collateral = Math.max(unreadyMillis(1, phase), unreadyMillis(2, phase));
                check(collateral <= 2_000, "healthy nodes stay ready while node3's clock is skewed (node1/node2 were"
                        + " not ready for up to " + collateral + " ms)");
            }
        }
        check(v.passed(), "the verifier found no violation " + v.violationCounts());
        check(v.duplicates() == 0, "zero duplicate ids");
        for (Violation violation : v.violations()) {
            System.out.println("VIOLATION " + violation);
        }
        for (String f : failures) {
            System.out.println("FAILED " + f);
        }
        System.out.println("fault-test: " + (checks - failures.size()) + " passed, " + failures.size() + " failed");
        System.out.println(failures.isEmpty() ? "FAULT TEST PASSED" : "FAULT TEST FAILED");
    }

    private long unreadyMillis(int node, Phase phase) {
        return unreadyMillis(node, phase.startMillis, phase.endMillis);
    }

    /** How long the node's readiness probe failed between two instants, from the monitor's samples. */
    private long unreadyMillis(int node, long fromMillis, long toMillis) {
        long total = 0;
        synchronized (readiness) {
            long previous = fromMillis;
            for (long[] sample : readiness.get(node)) {
                long at = sample[0];
                if (at <= fromMillis) {
                    continue;
                }
                long until = Math.min(at, toMillis);
                if (sample[1] == 0) {
                    total += until - previous;
                }
                previous = until;
                if (at >= toMillis) {
                    break;
                }
            }
        }
        return total;
    }

    private static String time(long millis) {
        return CLOCK.format(Instant.ofEpochMilli(millis));
    }

    private static String abbreviate(String s) {
        return abbreviate(s, 160);
    }

    private static String abbreviate(String s, int max) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() > max ? oneLine.substring(0, max) + "..." : oneLine;
    }

    private static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    private static boolean sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void log(String message) {
        System.out.println(LocalTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("HH:mm:ss")) + " [fault-test] " + message);
        System.out.flush();
    }
}
