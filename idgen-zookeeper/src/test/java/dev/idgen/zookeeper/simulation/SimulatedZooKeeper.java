package dev.idgen.zookeeper.simulation;

import dev.idgen.zookeeper.ZnodeOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * One ZooKeeper ensemble in memory, with the semantics the worker-id lease relies on,
 * driven by simulated time: the simulator calls {@link #advanceTo(long)}; this class
 * never reads a real clock, starts a thread or draws a random number. Clients are
 * {@link SimulatedZnodeStore}s.
 *
 * <h2>What is modelled</h2>
 * <ul>
 * <li>A tree of persistent, ephemeral and (ephemeral-)sequential znodes. A sequential
 * node's suffix is the number of children the parent has had created, formatted
 * {@code %010d}, so sequence numbers are never reused under a parent; the parent's
 * {@link Stat#getCversion() cversion} reports creations plus deletions, as ZooKeeper's
 * does.</li>
 * <li>{@link Stat}s with {@code czxid}, {@code mzxid}, {@code pzxid}, {@code ctime},
 * {@code mtime} (the simulated now: one server clock), {@code version}, {@code cversion},
 * {@code ephemeralOwner}, {@code dataLength}, {@code numChildren}; {@code aversion} is
 * always 0.</li>
 * <li>One global zxid counter. Every write request consumes a zxid, failed ones too
 * (ZooKeeper commits an error transaction), and so do session creation and session close
 * or expiry. A multi is one transaction: every operation in it gets the same zxid.</li>
 * <li>Sessions: the requested timeout is clamped into [2, 20] ticks; a session expires
 * once the server has not heard from it for its timeout
 * ({@code now - lastHeard >= timeout}), checked on {@link #advanceTo(long)}; expiry
 * deletes the session's ephemeral nodes in one transaction.</li>
 * <li>{@code multi}: all or nothing; the first failing operation's exception, with checks
 * in ZooKeeper's order (create: NoNode for a missing parent, NodeExists,
 * NoChildrenForEphemerals; setData/check: NoNode, BadVersion; delete: NoNode, BadVersion,
 * NotEmpty).</li>
 * <li>{@link #wipe()}: data loss. Every node and session is gone and the zxid restarts at
 * 0. Session ids keep counting up, as a real server's time-seeded ids would not repeat
 * either.</li>
 * </ul>
 *
 * <h2>Where it deliberately differs from a real ensemble</h2>
 * <ul>
 * <li>No watches, no ACLs, no container or TTL nodes, no quotas, no {@code sync}, no
 * epochs in the zxid.</li>
 * <li>Reads are linearizable, unless a client turns on
 * {@link SimulatedZnodeStore#staleReads(boolean)}.</li>
 * <li>A session expires at the earliest moment ZooKeeper allows; a real server rounds the
 * deadline up to its next tick, so it expires up to one tick later.</li>
 * <li>After {@link #wipe()} a client reconnects at once; a real server refuses a client
 * that has seen a higher zxid than its own, so such a client stays disconnected until its
 * session times out locally.</li>
 * <li>Children are listed sorted by name; a real server lists them in no particular
 * order.</li>
 * </ul>
 *
 * <p>
 * Not thread-safe: one simulator thread drives the ensemble and all its clients.
 */
public final class SimulatedZooKeeper {

    /** ZooKeeper's {@code tickTime} as this model uses it by default. */
    public static final int DEFAULT_TICK_MILLIS = 2000;

    private final int tickMillis;

    private final Map<Long, Session> sessions = new TreeMap<>();

    private ZnodeTree tree = ZnodeTree.initial();

    private long nowMillis;

    private long lastZxid;

    private long nextSessionId = (1L << 56) + 1;

    /** An ensemble with a 2 s tick whose clock starts at 0. */
    public SimulatedZooKeeper() {
        this(DEFAULT_TICK_MILLIS, 0);
    }

    public SimulatedZooKeeper(int tickMillis, long startMillis) {
        if (tickMillis <= 0) {
            throw new IllegalArgumentException("tickMillis must be positive, was " + tickMillis);
        }
        this.tickMillis = tickMillis;
        this.nowMillis = startMillis;
    }

    /** The server's clock: the simulated now. */
    public long nowMillis() {
        return nowMillis;
    }

    public int tickMillis() {
        return tickMillis;
    }

    /** The zxid of the last transaction (0 on a fresh or wiped ensemble). */
    public long lastZxid() {
        return lastZxid;
    }

    /**
     * Moves the server's clock to {@code nowMillis} and expires, in session-id order,
     * every session not heard from for its timeout.
     */
    public void advanceTo(long nowMillis) {
        if (nowMillis < this.nowMillis) {
            throw new IllegalArgumentException(
                    "Simulated time runs forward: now is " + this.nowMillis + ", asked for " + nowMillis);
        }
        this.nowMillis = nowMillis;
        for (Session session : List.copyOf(sessions.values())) {
            if (nowMillis - session.lastHeardMillis >= session.timeoutMillis) {
                expire(session.id);
            }
        }
    }

    /**
     * The timeout the server grants for {@code requestedMillis}: clamped into [2, 20]
     * ticks.
     */
    public int negotiateSessionTimeout(int requestedMillis) {
        return Math.max(2 * tickMillis, Math.min(20 * tickMillis, requestedMillis));
    }

    public boolean isSessionAlive(long sessionId) {
        return sessions.containsKey(sessionId);
    }

    /** The ids of the live sessions, ascending. */
    public List<Long> sessionIds() {
        return List.copyOf(sessions.keySet());
    }

    /**
     * When the server will expire the session unless it hears from it first; -1 when it
     * is not alive.
     */
    public long sessionDeadlineMillis(long sessionId) {
        Session session = sessions.get(sessionId);
        return (session != null) ? session.lastHeardMillis + session.timeoutMillis : -1;
    }

    /**
     * Ends a session now and deletes its ephemeral nodes, as a second handle closing it
     * does (the way the real-server tests expire a session). Nothing happens if it is not
     * alive.
     */
    public void expireSession(long sessionId) {
        if (sessions.containsKey(sessionId)) {
            expire(sessionId);
        }
    }

    /** Data loss: every node and every session is gone, and the zxid restarts at 0. */
    public void wipe() {
        tree = ZnodeTree.initial();
        sessions.clear();
        lastZxid = 0;
    }

    /**
     * What the ensemble holds at {@code path} now, for a checker: no session, no faults;
     * null if absent.
     */
    public Stat stat(String path) {
        return tree.stat(path);
    }

    /** The data at {@code path} now, for a checker; null if absent. */
    public byte[] data(String path) {
        try {
            return tree.getData(path, null);
        }
        catch (KeeperException ex) {
            return null;
        }
    }

    /**
     * The names of the children of {@code path} now, sorted, for a checker; empty if
     * absent.
     */
    public List<String> children(String path) {
        try {
            return tree.children(path);
        }
        catch (KeeperException ex) {
            return List.of();
        }
    }

    /** The paths of the ephemeral nodes {@code sessionId} owns now. */
    public List<String> ephemeralsOf(long sessionId) {
        return tree.ephemeralsOf(sessionId);
    }

    // What a client reaches: package-private, called by SimulatedZnodeStore only.

    long openSession(int requestedTimeoutMillis) {
        lastZxid++;
        long id = nextSessionId++;
        sessions.put(id, new Session(id, negotiateSessionTimeout(requestedTimeoutMillis), nowMillis));
        return id;
    }

    int sessionTimeout(long sessionId) {
        Session session = sessions.get(sessionId);
        return (session != null) ? session.timeoutMillis : 0;
    }

    /** The server hears from the session: a request or a ping. */
    void touch(long sessionId) {
        Session session = sessions.get(sessionId);
        if (session != null) {
            session.lastHeardMillis = nowMillis;
        }
    }

    void closeSession(long sessionId) {
        expireSession(sessionId);
    }

    /** The current tree, for linearizable reads. */
    ZnodeTree tree() {
        return tree;
    }

    /**
     * A copy of the tree as of now: what a follower that has applied up to
     * {@link #lastZxid()} serves.
     */
    ZnodeTree snapshot() {
        return tree.copy();
    }

    String create(long sessionId, String path, byte[] data, CreateMode mode) throws KeeperException {
        requireSession(sessionId);
        return tree.create(path, data, mode, sessionId, ++lastZxid, nowMillis);
    }

    Stat setData(long sessionId, String path, byte[] data, int version) throws KeeperException {
        requireSession(sessionId);
        return tree.setData(path, data, version, ++lastZxid, nowMillis);
    }

    void delete(long sessionId, String path, int version) throws KeeperException {
        requireSession(sessionId);
        tree.delete(path, version, ++lastZxid);
    }

    List<Stat> multi(long sessionId, List<ZnodeOp> ops) throws KeeperException {
        requireSession(sessionId);
        long zxid = ++lastZxid;
        ZnodeTree scratch = tree.copy();
        List<Stat> stats = new ArrayList<>(ops.size());
        for (ZnodeOp op : ops) {
            if (op instanceof ZnodeOp.Check check) {
                scratch.check(check.path(), check.version());
                stats.add(null);
            }
            else if (op instanceof ZnodeOp.Create create) {
                scratch.create(create.path(), create.data(), create.mode(), sessionId, zxid, nowMillis);
                stats.add(null);
            }
            else if (op instanceof ZnodeOp.SetData set) {
                stats.add(scratch.setData(set.path(), set.data(), set.version(), zxid, nowMillis));
            }
            else if (op instanceof ZnodeOp.Delete delete) {
                scratch.delete(delete.path(), delete.version(), zxid);
                stats.add(null);
            }
            else {
                throw new IllegalArgumentException("Unknown operation " + op);
            }
        }
        tree = scratch;
        return stats;
    }

    private void requireSession(long sessionId) throws KeeperException {
        if (!sessions.containsKey(sessionId)) {
            throw new KeeperException.SessionExpiredException();
        }
    }

    private void expire(long sessionId) {
        long zxid = ++lastZxid;
        for (String path : tree.ephemeralsOf(sessionId)) {
            try {
                tree.delete(path, -1, zxid);
            }
            catch (KeeperException ex) {
                throw new IllegalStateException("An ephemeral node cannot have children: " + path, ex);
            }
        }
        sessions.remove(sessionId);
    }

    @Override
    public String toString() {
        return "SimulatedZooKeeper[now=" + nowMillis + ", zxid=" + lastZxid + ", sessions=" + sessions.keySet() + "]";
    }

    private static final class Session {

        final long id;

        final int timeoutMillis;

        long lastHeardMillis;

        Session(long id, int timeoutMillis, long lastHeardMillis) {
            this.id = id;
            this.timeoutMillis = timeoutMillis;
            this.lastHeardMillis = lastHeardMillis;
        }

    }

}
