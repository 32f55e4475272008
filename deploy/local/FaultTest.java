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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end fault test of a real local cluster (deploy/local/cluster.sh): while load streams pull ids
 * from every node, inject one fault after another and require zero duplicates over the whole run, no
 * worker id on two nodes at once, a frozen-then-thawed node that refuses before it claims again, and
 * every node ready at the end. Prints the ids issued and, per fault, how long each node was not ready.
 *
 * <p>Run by deploy/local/fault-test.sh (which builds nothing: it needs the server jar and
 * benchmarks.jar, whose {@link IdVerifier} does the id checks). Single-file source program: no build
 * step of its own. Exit status 0 only when every check passed.
 */
public final class FaultTest {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final Pattern QUOTED_ID = Pattern.compile("\"?(\\d{1,19})\"?");

    /** Nodes the cluster starts; one more is kept spare for the take-over drill. */
    private static final int NODES = 3;
    private static final int SPARE = NODES + 1;
    private static final int ALL_NODES = NODES + 1;

    private final Path script;
    private final Path runDir;
    private final Duration sessionTimeout;
    private final Duration clockSkew;
    private final int batch;
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
    /** Per node: readiness samples (time, ready) from the monitor thread. */
    private final List<List<long[]>> readiness = new ArrayList<>();
    private final List<Phase> phases = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private int checks;
    private IdVerifier verifier;

    private record Phase(String name, long startMillis, long endMillis, boolean spareRan) {
    }

    /** Whether the spare node was started during the phase now running. */
    private volatile boolean spareRan;

    private FaultTest(Path script, Path runDir, Duration sessionTimeout, Duration clockSkew, int batch) {
        this.script = script;
        this.runDir = runDir;
        this.sessionTimeout = sessionTimeout;
        this.clockSkew = clockSkew;
        this.batch = batch;
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
        int batch = Integer.parseInt(env("FAULT_BATCH", "50"));
        FaultTest test = new FaultTest(script, runDir, session, skew, batch);
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
        log("starting the cluster: 3 ZooKeeper servers, " + NODES + " idgen nodes (session timeout "
                + sessionTimeout.toSeconds() + "s), worker range 0-" + NODES);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("IDGEN_NODES", String.valueOf(NODES));
        env.put("IDGEN_SPARE_NODES", "1");
        // One free worker id beyond the three nodes: a node that lost its id can claim another.
        env.put("IDGEN_WORKER_RANGE", "0-" + NODES);
        env.put("IDGEN_SESSION_TIMEOUT", sessionTimeout.toSeconds() + "s");
        env.put("IDGEN_HEARTBEAT", "1s");
        cluster(List.of("up"), true, env);
        for (int n = 1; n <= ALL_NODES; n++) {
            baseUrls[n] = "http://127.0.0.1:" + Files.readString(runDir.resolve("node" + n + "/port")).trim();
        }

        long start = System.currentTimeMillis();
        // Tolerance: the skewed node issues timestamps up to its skew behind this machine's clock.
        verifier = new IdVerifier(layout, ALL_NODES, start, clockSkew.toMillis() + 5_000);
        List<Thread> threads = new ArrayList<>();
        for (int n = 1; n <= ALL_NODES; n++) {
            int node = n;
            Thread t = new Thread(() -> pull(node), "load-" + n);
            t.start();
            threads.add(t);
        }
        Thread monitor = new Thread(this::monitorReadiness, "readiness");
        monitor.setDaemon(true);
        monitor.start();
        // Let the streams and the monitor open their connections before anything is measured.
        pause(Duration.ofSeconds(1));

        phase("steady load", () -> pause(Duration.ofSeconds(5)));
        phase("kill -9 node1, restart it", this::killAndRestart);
        phase("SIGSTOP node2 past its session, node4 takes its worker id, SIGCONT", this::freezeAndTakeOver);
        phase("kill -9 the ZooKeeper leader, restart it", this::killZooKeeperLeader);
        phase("kill -9 a ZooKeeper majority, restart it", this::killZooKeeperMajority);
        phase("restart node3 with its clock " + clockSkew.toSeconds() + "s behind its reservation", this::restartWithClockBehind);
        phase("steady load after the faults", () -> pause(Duration.ofSeconds(3)));

        for (int n = 1; n <= NODES; n++) {
            check(ready(n), "node" + n + " is ready at the end");
        }
        loadRunning.set(false);
        for (Thread t : threads) {
            t.join(10_000);
        }
        monitor.interrupt();
        Verification verification = verifier.verify();
        report(verification);
        return failures.isEmpty() ? 0 : 1;
    }

    // --- faults ------------------------------------------------------------------------------------

    private void killAndRestart() throws Exception {
        cluster(List.of("node", "kill", "1"), true);
        pause(Duration.ofSeconds(1));
        cluster(List.of("node", "start", "1"), true);
        awaitReady(1, Duration.ofSeconds(90));
    }

    private void freezeAndTakeOver() throws Exception {
        int stale = lastWorkerId.get(2);
        check(stale >= 0, "node2 issued ids before the freeze (worker id known)");
        cluster(List.of("node", "stop", "2"), true);
        // Past the session timeout, ZooKeeper expires node2's session and deletes its claim.
        pause(sessionTimeout.plusSeconds(3));
        log("node4 claims worker id " + stale + " only (the id frozen node2 held)");
        spareRan = true;
        cluster(List.of("node", "start", String.valueOf(SPARE), "--idgen.worker.range=" + stale), true);
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
        cluster(List.of("node", "term", String.valueOf(SPARE)), true);
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
        cluster(List.of("node", "term", "3"), true);
        // Same worker id, clock further behind than a restart takes, so still behind the reservation the
        // previous holder (node3 itself) left: the node must wait it out or refuse, never issue a
        // timestamp at or below one already issued under that id (the verifier's per-stream order and
        // duplicate checks see any such id).
        cluster(List.of("node", "start", "3", "--idgen.worker.range=" + held,
                "--idgen.clock.offset=-PT" + clockSkew.toSeconds() + "S"), true);
        if (!await(() -> answers(3), Duration.ofSeconds(90))) {
            check(false, "node3 with a skewed clock answers HTTP within 90s");
        }
        long issuedBefore = issued.get(3);
        long refusedBefore = refused.get(3);
        pause(Duration.ofSeconds(10));
        log("node3, clock " + clockSkew.toSeconds() + "s behind, in 10 s: " + (issued.get(3) - issuedBefore)
                + " ids issued, " + (refused.get(3) - refusedBefore) + " requests refused; readiness: "
                + abbreviate(readinessBody(3)));
        cluster(List.of("node", "term", "3"), true);
        cluster(List.of("node", "start", "3"), true);
        awaitReady(3, Duration.ofSeconds(90));
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

    /** One stream per node: a request only after the previous answer, as the verifier's order rule needs. */
    private void pull(int node) {
        IdVerifier.Stream stream = verifier.newStream();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrls[node] + "/ids/batch?count=" + batch))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (loadRunning.get()) {
            long sent = System.currentTimeMillis();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long received = System.currentTimeMillis();
                if (response.statusCode() == 200) {
                    long[] ids = parseIds(response.body());
                    if (ids == null) {
                        stream.malformed(node - 1, "unreadable body: " + abbreviate(response.body()));
                    } else {
                        stream.accept(node - 1, sent, received, ids);
                        issued.addAndGet(node, ids.length);
                        if (ids.length > 0) {
                            lastWorkerId.set(node, layout.parse(ids[ids.length - 1]).workerId());
                        }
                    }
                    sleepQuietly(5);
                } else {
                    refused.incrementAndGet(node);
                    sleepQuietly(50);
                }
            } catch (IOException e) {
                failed.incrementAndGet(node);
                sleepQuietly(e instanceof ConnectException ? 100 : 20);
            } catch (InterruptedException e) {
                return;
            }
        }
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
                    stream.accept(node - 1, sent, System.currentTimeMillis(), ids);
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
        spareRan = false;
        long start = System.currentTimeMillis();
        try {
            action.run();
        } catch (RuntimeException | IOException e) {
            check(false, name + ": " + e.getMessage());
        }
        // Every node started at the beginning must be serving again before the next fault.
        awaitAllReady(Duration.ofSeconds(90));
        phases.add(new Phase(name, start, System.currentTimeMillis(), spareRan));
    }

    private void awaitAllReady(Duration timeout) throws InterruptedException {
        for (int n = 1; n <= NODES; n++) {
            awaitReady(n, timeout);
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

    private void report(Verification v) {
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
        System.out.println("== worker ids per node (stints, in id timestamp order)");
        for (int n = 1; n <= ALL_NODES; n++) {
            StringBuilder line = new StringBuilder("node" + n + ":");
            for (WorkerStint s : v.stintsByNode().get(n - 1)) {
                line.append(" ").append(s.workerId()).append(" [").append(time(s.firstMillis())).append("-")
                        .append(time(s.lastMillis())).append("]");
            }
            System.out.println(line);
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
                boolean shown = n != SPARE || phase.spareRan;
                row.append(shown ? String.format(" %8d", unreadyMillis(n, phase)) : String.format(" %8s", "-"));
            }
            System.out.println(row);
        }
        System.out.println("(node4 runs only in the take-over drill; there it counts as not ready until it has started)");
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
        long total = 0;
        synchronized (readiness) {
            long previous = phase.startMillis;
            for (long[] sample : readiness.get(node)) {
                long at = sample[0];
                if (at <= phase.startMillis) {
                    continue;
                }
                long until = Math.min(at, phase.endMillis);
                if (sample[1] == 0) {
                    total += until - previous;
                }
                previous = until;
                if (at >= phase.endMillis) {
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
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "..." : oneLine;
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
