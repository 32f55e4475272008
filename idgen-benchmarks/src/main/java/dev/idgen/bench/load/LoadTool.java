package dev.idgen.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Drives one or more idgen nodes over HTTP/1.1 keep-alive and verifies every id they
 * return.
 *
 * <p>
 * {@code concurrency} client loops each send one request at a time, round-robin over the
 * nodes (loop {@code i} starts at node {@code i mod nodes}), until the duration is over.
 * A 200 answer's ids go to the {@link IdVerifier}; a 503 is a refusal, counted per node
 * and not an error; anything else (other status, connection failure, timeout) is an
 * error, after which the loop pauses for the error backoff.
 *
 * <p>
 * Refusing and failing time per node: the run is cut into {@value #BUCKET_MILLIS} ms
 * buckets by response arrival. A bucket in which the node answered 200 at least once is
 * <i>serving</i>; else one with a 503 is <i>refusing</i>; else one with an error is
 * <i>failing</i>; a bucket with no answer from the node keeps the state of the bucket
 * before it. Refusing (failing) time is the number of refusing (failing) buckets times
 * the bucket width.
 *
 * <p>
 * Use {@link #run(LoadOptions)} from code (a fault-test driver can also {@link #start} a
 * run and {@link LoadRun#stop()} it early), or {@link #main} from a shell.
 */
public final class LoadTool {

    /** Width of the buckets that refusing and failing time are measured in. */
    static final int BUCKET_MILLIS = 10;

    private LoadTool() {
    }

    public static void main(String[] args) {
        LoadOptions options;
        try {
            if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
                System.out.print(LoadOptions.USAGE);
                System.exit(args.length == 0 ? 2 : 0);
                return;
            }
            options = LoadOptions.parse(args);
        }
        catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        LoadResult result = run(options);
        PrintStream out = result.passed() ? System.out : System.err;
        out.print(result.summary());
        System.exit(result.exitCode());
    }

    /** Runs for the configured duration and returns what happened. */
    public static LoadResult run(LoadOptions options) {
        return start(options).await();
    }

    /** Starts a run in the background. */
    public static LoadRun start(LoadOptions options) {
        return new LoadRun(options);
    }

    /** A run in progress. */
    public static final class LoadRun {

        private final LoadOptions options;

        private final HttpClient client;

        private final IdVerifier verifier;

        private final List<Loop> loops = new ArrayList<>();

        private final List<Thread> threads = new ArrayList<>();

        private final AtomicBoolean stopped = new AtomicBoolean();

        private final long startNanos;

        private final long deadlineNanos;

        private @Nullable LoadResult result;

        private LoadRun(LoadOptions options) {
            this.options = options;
            this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.requestTimeout())
                .build();
            this.verifier = new IdVerifier(options.layout(), options.urls().size(), System.currentTimeMillis(),
                    options.timestampTolerance().toMillis());
            List<HttpRequest> requests = new ArrayList<>();
            for (URI url : options.urls()) {
                URI target = URI.create(url + (options.batch() == 0 ? "/ids" : "/ids/batch?count=" + options.batch()));
                requests.add(HttpRequest.newBuilder(target)
                    .timeout(options.requestTimeout())
                    .header("Accept", "application/json")
                    .GET()
                    .build());
            }
            this.startNanos = System.nanoTime();
            this.deadlineNanos = startNanos + options.duration().toNanos();
            for (int i = 0; i < options.concurrency(); i++) {
                Loop loop = new Loop(i, requests, verifier.newStream());
                loops.add(loop);
                Thread thread = new Thread(loop, "idgen-load-" + i);
                thread.setDaemon(true);
                threads.add(thread);
            }
            threads.forEach(Thread::start);
        }

        /**
         * Asks every loop to finish its current request and stop; {@link #await()} then
         * returns soon.
         */
        public void stop() {
            stopped.set(true);
        }

        /**
         * Waits for the loops to end, then verifies the ids. Returns the same result when
         * called again.
         */
        public synchronized LoadResult await() {
            if (result != null) {
                return result;
            }
            boolean interrupted = false;
            for (Thread thread : threads) {
                while (true) {
                    try {
                        thread.join();
                        break;
                    }
                    catch (InterruptedException e) {
                        interrupted = true;
                        stop();
                    }
                }
            }
            for (Loop loop : loops) {
                if (loop.failure != null) {
                    throw new IllegalStateException("client loop " + loop.index + " failed", loop.failure);
                }
            }
            long elapsedNanos = loops.stream().mapToLong(loop -> loop.endNanos).max().orElse(startNanos) - startNanos;
            if (client instanceof AutoCloseable closeable) { // HttpClient is closeable
                                                             // from JDK 21 on
                try {
                    closeable.close();
                }
                catch (Exception ignored) {
                    // closing only frees connections early; nothing to report
                }
            }
            result = summarize(Duration.ofNanos(elapsedNanos));
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return result;
        }

        private LoadResult summarize(Duration elapsed) {
            Histogram latency = new Histogram(3);
            long requests = 0;
            long ids = 0;
            for (Loop loop : loops) {
                latency.add(loop.latencyMicros);
                for (int node = 0; node < options.urls().size(); node++) {
                    requests += loop.requests[node];
                    ids += loop.ids[node];
                }
            }
            Verification verification = verifier.verify();
            List<NodeReport> nodes = new ArrayList<>();
            for (int node = 0; node < options.urls().size(); node++) {
                nodes.add(nodeReport(node, verification.stintsByNode().get(node)));
            }
            LoadResult.Latency percentiles = new LoadResult.Latency(latency.getTotalCount(),
                    latency.getValueAtPercentile(50), latency.getValueAtPercentile(90),
                    latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getMaxValue());
            return new LoadResult(options, elapsed, requests, ids, percentiles, nodes, verification);
        }

        private NodeReport nodeReport(int node, List<WorkerStint> stints) {
            long requests = 0;
            long successes = 0;
            long ids = 0;
            long refused = 0;
            long errors = 0;
            Map<String, Long> errorsByCause = new TreeMap<>();
            BitSet serving = new BitSet();
            BitSet refusing = new BitSet();
            BitSet failing = new BitSet();
            for (Loop loop : loops) {
                requests += loop.requests[node];
                successes += loop.successes[node];
                ids += loop.ids[node];
                refused += loop.refused[node];
                errors += loop.errors[node];
                loop.errorsByCause.get(node).forEach((cause, count) -> errorsByCause.merge(cause, count, Long::sum));
                serving.or(loop.servingBuckets.get(node));
                refusing.or(loop.refusingBuckets.get(node));
                failing.or(loop.failingBuckets.get(node));
            }
            long refusingBuckets = 0;
            long failingBuckets = 0;
            int state = 0; // 0 unknown or serving, 1 refusing, 2 failing
            int end = Math.max(serving.length(), Math.max(refusing.length(), failing.length()));
            for (int bucket = 0; bucket < end; bucket++) {
                if (serving.get(bucket)) {
                    state = 0;
                }
                else if (refusing.get(bucket)) {
                    state = 1;
                }
                else if (failing.get(bucket)) {
                    state = 2;
                }
                if (state == 1) {
                    refusingBuckets++;
                }
                else if (state == 2) {
                    failingBuckets++;
                }
            }
            long firstRefusal = refusing.isEmpty() ? -1 : (long) refusing.nextSetBit(0) * BUCKET_MILLIS;
            long lastRefusal = refusing.isEmpty() ? -1 : (long) (refusing.length() - 1) * BUCKET_MILLIS;
            return new NodeReport(options.urls().get(node), requests, successes, ids, refused, errors, errorsByCause,
                    refusingBuckets * BUCKET_MILLIS, failingBuckets * BUCKET_MILLIS, firstRefusal, lastRefusal, stints);
        }

        /**
         * One client loop: a request at a time, round-robin over the nodes. Owns all its
         * counters.
         */
        private final class Loop implements Runnable {

            private final int index;

            private final List<HttpRequest> requestsByNode;

            private final IdVerifier.Stream stream;

            private final long[] requests;

            private final long[] successes;

            private final long[] ids;

            private final long[] refused;

            private final long[] errors;

            private final List<Map<String, Long>> errorsByCause = new ArrayList<>();

            private final List<BitSet> servingBuckets = new ArrayList<>();

            private final List<BitSet> refusingBuckets = new ArrayList<>();

            private final List<BitSet> failingBuckets = new ArrayList<>();

            private final Histogram latencyMicros = new Histogram(3);

            private volatile long endNanos;

            private volatile @Nullable Throwable failure;

            Loop(int index, List<HttpRequest> requestsByNode, IdVerifier.Stream stream) {
                this.index = index;
                this.requestsByNode = requestsByNode;
                this.stream = stream;
                int nodes = requestsByNode.size();
                requests = new long[nodes];
                successes = new long[nodes];
                ids = new long[nodes];
                refused = new long[nodes];
                errors = new long[nodes];
                for (int i = 0; i < nodes; i++) {
                    errorsByCause.add(new HashMap<>());
                    servingBuckets.add(new BitSet());
                    refusingBuckets.add(new BitSet());
                    failingBuckets.add(new BitSet());
                }
            }

            @Override
            public void run() {
                int nodes = requestsByNode.size();
                int node = index % nodes;
                try {
                    while (!stopped.get() && System.nanoTime() - deadlineNanos < 0) {
                        send(node);
                        node = (node + 1) % nodes;
                    }
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                catch (RuntimeException | Error e) {
                    failure = e;
                    stop(); // a run with a dead loop would report less than it was asked
                            // to check
                }
                finally {
                    endNanos = System.nanoTime();
                }
            }

            private void send(int node) throws InterruptedException {
                long sentMillis = System.currentTimeMillis();
                long sentNanos = System.nanoTime();
                HttpResponse<String> response;
                try {
                    response = client.send(requestsByNode.get(node), HttpResponse.BodyHandlers.ofString());
                }
                catch (IOException e) {
                    error(node, e.getClass().getSimpleName());
                    TimeUnit.NANOSECONDS.sleep(options.errorBackoff().toNanos());
                    return;
                }
                long receivedNanos = System.nanoTime();
                long receivedMillis = System.currentTimeMillis();
                requests[node]++;
                int bucket = bucket(receivedNanos);
                int status = response.statusCode();
                if (status == 503) {
                    refused[node]++;
                    refusingBuckets.get(node).set(bucket);
                    return;
                }
                if (status != 200) {
                    error(node, "HTTP " + status);
                    return;
                }
                long[] received;
                try {
                    received = IdResponseParser.parse(response.body(), options.batch() == 0 ? "id" : "ids");
                }
                catch (IllegalArgumentException e) {
                    stream.malformed(node, Objects.requireNonNullElse(e.getMessage(), e.toString()));
                    error(node, "malformed 200 response");
                    return;
                }
                int expected = options.batch() == 0 ? 1 : options.batch();
                if (received.length != expected) {
                    stream.malformed(node, "asked for " + expected + " ids, received " + received.length);
                }
                stream.accept(node, sentMillis, receivedMillis, received);
                successes[node]++;
                ids[node] += received.length;
                servingBuckets.get(node).set(bucket);
                latencyMicros.recordValue(Math.max(0, (receivedNanos - sentNanos) / 1000));
            }

            private void error(int node, String cause) {
                // Transport failures never reached requests[] above; count them here as
                // answered-or-failed.
                if (!cause.startsWith("HTTP") && !cause.startsWith("malformed")) {
                    requests[node]++;
                }
                errors[node]++;
                errorsByCause.get(node).merge(cause, 1L, Long::sum);
                failingBuckets.get(node).set(bucket(System.nanoTime()));
            }

            private int bucket(long nanos) {
                return (int) ((nanos - startNanos) / 1_000_000 / BUCKET_MILLIS);
            }

        }

    }

}
