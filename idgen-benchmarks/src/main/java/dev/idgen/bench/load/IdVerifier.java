package dev.idgen.bench.load;

import dev.idgen.core.IdLayout;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks every id a load run received. What exactly is checked:
 * <ol>
 * <li><b>Uniqueness</b> ({@link Violation.Kind#DUPLICATE}): no id value is received
 * twice, across all nodes and streams. Ids are kept in primitive arrays, sorted and
 * merged at the end.</li>
 * <li><b>Order</b> ({@link Violation.Kind#NOT_INCREASING}): a <i>stream</i> is one client
 * loop that sends a request only after the previous response arrived, so everything a
 * node returned to an earlier request of the stream was issued before anything it returns
 * to a later one. Per (node, stream), every id must therefore be greater than the one
 * before it, within a batch and across responses. Ids from different streams are not
 * ordered against each other: concurrent requests interleave, and the order their
 * responses arrive in says nothing about issue order.</li>
 * <li><b>Timestamp</b> ({@link Violation.Kind#TIMESTAMP_OUT_OF_TOLERANCE}): the id's
 * timestamp, decoded with the layout, lies within [time the request was sent − tolerance,
 * time its response arrived + tolerance], both read from this machine's wall clock. The
 * tolerance covers clock offset between this machine and the node, and a generator that
 * borrows time ahead of its clock.</li>
 * <li><b>One worker id per node at a time</b>
 * ({@link Violation.Kind#TWO_WORKER_IDS_ON_ONE_NODE}): for each node, the milliseconds
 * (id timestamps) in which it issued under each worker id are recorded; no millisecond
 * may carry two worker ids of the same node. A node may change worker id (after losing
 * and re-claiming its lease); its history is reported as {@link WorkerStint stints},
 * consecutive runs of one worker id in timestamp order, and it is not a violation.</li>
 * <li><b>One node per worker id at a time</b>
 * ({@link Violation.Kind#ONE_WORKER_ID_ON_TWO_NODES}): the stints of the same worker id
 * on two different nodes must not overlap, not even in one millisecond. This is the
 * Snowflake safety rule itself; a break is a duplicate waiting to happen even when no
 * equal ids were drawn.</li>
 * </ol>
 * A node is a base URL: pass every node's own URL, not a load balancer's, or the per-node
 * checks mean nothing. Ids outside the timestamp tolerance are reported and then left out
 * of the worker-id checks.
 *
 * <p>
 * Each stream records into its own {@link Stream} without locks; {@link #verify()}
 * combines them once all streams have finished.
 */
public final class IdVerifier {

    /**
     * Largest tolerance: keeps the per-millisecond bit sets of the worker-id checks
     * small.
     */
    public static final long MAX_TOLERANCE_MILLIS = 3_600_000;

    /** Violations kept with their details per kind; the rest are only counted. */
    static final int DETAILS_PER_KIND = 20;

    private final IdLayout layout;

    private final int nodes;

    private final long toleranceMillis;

    /**
     * Origin of the per-millisecond bit sets: the earliest timestamp an accepted id can
     * have.
     */
    private final long originMillis;

    private final List<Stream> streams = new ArrayList<>();

    /**
     * @param layout how to decode ids
     * @param nodes number of nodes; node indexes run from 0
     * @param startMillis wall-clock time before the first request
     * @param toleranceMillis allowed distance of an id's timestamp outside its request's
     * time span
     */
    public IdVerifier(IdLayout layout, int nodes, long startMillis, long toleranceMillis) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1, but was " + nodes);
        }
        if (toleranceMillis < 0 || toleranceMillis > MAX_TOLERANCE_MILLIS) {
            throw new IllegalArgumentException(
                    "toleranceMillis must be between 0 and " + MAX_TOLERANCE_MILLIS + ", but was " + toleranceMillis);
        }
        this.layout = layout;
        this.nodes = nodes;
        this.toleranceMillis = toleranceMillis;
        this.originMillis = startMillis - toleranceMillis;
    }

    /** A new stream: one sequential client loop. Use it from one thread at a time. */
    public synchronized Stream newStream() {
        Stream stream = new Stream(streams.size());
        streams.add(stream);
        return stream;
    }

    /** Records the ids of one client loop. Not thread-safe: one loop, one stream. */
    public final class Stream {

        private final int index;

        private final LongList ids = new LongList();

        private final long[] lastIdByNode = new long[nodes];

        private final List<Map<Integer, BitSet>> millisByWorkerByNode = new ArrayList<>();

        private final Violations violations = new Violations();

        private Stream(int index) {
            this.index = index;
            java.util.Arrays.fill(lastIdByNode, -1);
            for (int i = 0; i < nodes; i++) {
                millisByWorkerByNode.add(new HashMap<>());
            }
        }

        /**
         * Records the ids of one response, in the order the node returned them.
         * @param node index of the node that answered
         * @param sentMillis wall-clock time just before the request was sent
         * @param receivedMillis wall-clock time just after the response arrived
         */
        public void accept(int node, long sentMillis, long receivedMillis, long[] received) {
            Map<Integer, BitSet> millisByWorker = millisByWorkerByNode.get(node);
            for (long id : received) {
                ids.add(id);
                long last = lastIdByNode[node];
                if (id <= last) {
                    violations.add(new Violation(Violation.Kind.NOT_INCREASING, node,
                            "stream " + index + " received " + describe(id) + " after " + describe(last)));
                }
                lastIdByNode[node] = id;
                long issuedMillis = layout.toUnixMillis(layout.timestampOf(id));
                if (issuedMillis < sentMillis - toleranceMillis || issuedMillis > receivedMillis + toleranceMillis) {
                    violations.add(new Violation(Violation.Kind.TIMESTAMP_OUT_OF_TOLERANCE, node,
                            describe(id) + " was received by a request sent at " + sentMillis + " and answered at "
                                    + receivedMillis + " (tolerance " + toleranceMillis + " ms)"));
                    continue;
                }
                long offset = issuedMillis - originMillis;
                if (offset > Integer.MAX_VALUE) {
                    // Only a run of more than 24 days gets here; its later ids are left
                    // out of the worker checks.
                    continue;
                }
                millisByWorker.computeIfAbsent(workerIdOf(id), w -> new BitSet()).set((int) offset);
            }
        }

        /** Records a successful response that was not what the API promises. */
        public void malformed(int node, String message) {
            violations.add(new Violation(Violation.Kind.MALFORMED_RESPONSE, node, message));
        }

    }

    private int workerIdOf(long id) {
        return (int) ((id >>> layout.sequenceBits()) & layout.maxWorkerId());
    }

    private String describe(long id) {
        if (id < 0) {
            return "id " + id;
        }
        return "id " + id + " (" + layout.parse(id) + ")";
    }

    /**
     * Combines all streams and runs the checks that need all ids. Call once, after every
     * stream has stopped recording.
     */
    public synchronized Verification verify() {
        Violations violations = new Violations();
        long total = 0;
        for (Stream stream : streams) {
            violations.addAll(stream.violations);
            stream.ids.sort();
            total += stream.ids.size();
        }
        long duplicates = findDuplicates(violations);

        List<List<WorkerStint>> stintsByNode = new ArrayList<>();
        for (int node = 0; node < nodes; node++) {
            Map<Integer, BitSet> millisByWorker = new TreeMap<>();
            for (Stream stream : streams) {
                stream.millisByWorkerByNode.get(node)
                    .forEach((worker, millis) -> millisByWorker.computeIfAbsent(worker, w -> new BitSet()).or(millis));
            }
            checkOneWorkerAtATime(node, millisByWorker, violations);
            stintsByNode.add(stints(millisByWorker));
        }
        checkOneNodePerWorker(stintsByNode, violations);
        return new Verification(total, duplicates, violations.counts(), violations.details(), stintsByNode);
    }

    /**
     * K-way merge of the sorted streams; an id equal to the one before it in merged order
     * is a duplicate.
     */
    private long findDuplicates(Violations violations) {
        int k = streams.size();
        int[] heap = new int[k]; // stream indexes, ordered by each stream's current id
        int[] cursor = new int[k];
        int heapSize = 0;
        for (int s = 0; s < k; s++) {
            if (streams.get(s).ids.size() > 0) {
                heap[heapSize++] = s;
            }
        }
        for (int i = heapSize / 2 - 1; i >= 0; i--) {
            siftDown(heap, heapSize, i, cursor);
        }
        long duplicates = 0;
        boolean any = false;
        long previous = 0;
        long reportedUpTo = Long.MIN_VALUE;
        while (heapSize > 0) {
            int s = heap[0];
            long id = current(s, cursor);
            if (any && id == previous) {
                duplicates++;
                if (id != reportedUpTo) {
                    violations.add(
                            new Violation(Violation.Kind.DUPLICATE, -1, describe(id) + " was received more than once"));
                    reportedUpTo = id;
                }
            }
            any = true;
            previous = id;
            cursor[s]++;
            if (cursor[s] == streams.get(s).ids.size()) {
                heap[0] = heap[--heapSize];
            }
            siftDown(heap, heapSize, 0, cursor);
        }
        return duplicates;
    }

    private long current(int stream, int[] cursor) {
        return streams.get(stream).ids.get(cursor[stream]);
    }

    private void siftDown(int[] heap, int size, int i, int[] cursor) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int smallest = left;
            int right = left + 1;
            if (right < size && current(heap[right], cursor) < current(heap[left], cursor)) {
                smallest = right;
            }
            if (current(heap[i], cursor) <= current(heap[smallest], cursor)) {
                return;
            }
            int swap = heap[i];
            heap[i] = heap[smallest];
            heap[smallest] = swap;
            i = smallest;
        }
    }

    private void checkOneWorkerAtATime(int node, Map<Integer, BitSet> millisByWorker, Violations violations) {
        List<Map.Entry<Integer, BitSet>> workers = new ArrayList<>(millisByWorker.entrySet());
        for (int a = 0; a < workers.size(); a++) {
            for (int b = a + 1; b < workers.size(); b++) {
                BitSet both = (BitSet) workers.get(a).getValue().clone();
                both.and(workers.get(b).getValue());
                if (!both.isEmpty()) {
                    violations.add(new Violation(Violation.Kind.TWO_WORKER_IDS_ON_ONE_NODE, node,
                            "worker ids " + workers.get(a).getKey() + " and " + workers.get(b).getKey()
                                    + " both issued ids in " + both.cardinality() + " millisecond(s), first at "
                                    + (originMillis + both.nextSetBit(0))));
                }
            }
        }
    }

    /** Consecutive runs of one worker id, in timestamp order. */
    private List<WorkerStint> stints(Map<Integer, BitSet> millisByWorker) {
        BitSet all = new BitSet();
        millisByWorker.values().forEach(all::or);
        List<WorkerStint> stints = new ArrayList<>();
        int worker = -1;
        long first = 0;
        long last = 0;
        for (int ms = all.nextSetBit(0); ms >= 0; ms = all.nextSetBit(ms + 1)) {
            int owner = -1;
            for (Map.Entry<Integer, BitSet> entry : millisByWorker.entrySet()) {
                if (entry.getValue().get(ms)) {
                    owner = entry.getKey();
                    break;
                }
            }
            if (owner != worker) {
                if (worker >= 0) {
                    stints.add(new WorkerStint(worker, originMillis + first, originMillis + last));
                }
                worker = owner;
                first = ms;
            }
            last = ms;
        }
        if (worker >= 0) {
            stints.add(new WorkerStint(worker, originMillis + first, originMillis + last));
        }
        return stints;
    }

    private static void checkOneNodePerWorker(List<List<WorkerStint>> stintsByNode, Violations violations) {
        for (int a = 0; a < stintsByNode.size(); a++) {
            for (int b = a + 1; b < stintsByNode.size(); b++) {
                for (WorkerStint x : stintsByNode.get(a)) {
                    for (WorkerStint y : stintsByNode.get(b)) {
                        if (x.workerId() == y.workerId() && x.overlaps(y)) {
                            violations.add(new Violation(Violation.Kind.ONE_WORKER_ID_ON_TWO_NODES, -1,
                                    "worker id " + x.workerId() + " was used by node " + a + " from " + x.firstMillis()
                                            + " to " + x.lastMillis() + " and by node " + b + " from " + y.firstMillis()
                                            + " to " + y.lastMillis()));
                        }
                    }
                }
            }
        }
    }

}
