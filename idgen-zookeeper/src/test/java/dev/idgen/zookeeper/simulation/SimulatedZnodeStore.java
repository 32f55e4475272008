package dev.idgen.zookeeper.simulation;

import dev.idgen.zookeeper.ZnodeOp;
import dev.idgen.zookeeper.ZnodeStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * One client of a {@link SimulatedZooKeeper}: what one node's Curator client looks like
 * to the lease, with the faults a nemesis injects as explicit, deterministic switches.
 *
 * <h2>Life cycle and connection events</h2> {@link #connect()} opens the first session
 * ({@code CONNECTED}). {@link #disconnect()} drops the connection ({@code SUSPENDED});
 * every request then throws {@code ConnectionLossException} before it reaches the server,
 * and the server stops hearing from the session. {@link #reconnect()} comes back: to the
 * same session ({@code RECONNECTED}) if the server still has it, otherwise {@code LOST}
 * and then {@code RECONNECTED} with a new session id. {@link #onTime()} is the client's
 * passing of time, which the simulator calls at least every third of the session timeout:
 * while connected it pings the server when idle for a third of the timeout (as
 * ZooKeeper's client does), and finds out when the server has ended the session meanwhile
 * ({@code SUSPENDED}, {@code LOST}, {@code RECONNECTED}: the server closed the
 * connection, the client came back to a new session); while disconnected it fires
 * {@code LOST} once the negotiated timeout has passed since the disconnect (as Curator
 * injects a session expiry), after which {@link #sessionId()} is 0 until
 * {@link #reconnect()}. A client that is not given {@code onTime()} is a paused process:
 * the server expires its session. Listeners are called synchronously, in registration
 * order, and only from these four methods, never from inside a request. {@link #close()}
 * closes the session, which deletes its ephemeral nodes at once.
 *
 * <h2>Requests</h2> Each request that reaches the server refreshes the session's
 * last-heard time. A request on a session the server has ended throws
 * {@code SessionExpiredException} (the events follow on the next {@code onTime()});
 * Curator would often retry it on the new session instead. {@link #create} creates
 * missing parents as persistent nodes with empty data, each its own transaction, after a
 * first attempt fails with NoNode (as Curator's {@code creatingParentsIfNeeded}).
 * {@link #createEphemeralSequential} names the node as Curator's protection mode does
 * ({@code _c_<uuid>-<name><%010d>}, the uuid drawn from the given {@link Random}) and,
 * when a reply is lost and retried, first looks for the node this session already created
 * under that uuid, so it creates at most once per call.
 *
 * <h2>Lost replies</h2> {@link #loseNextReply(ReplyLoss)} arms the next request that
 * reaches the server: it is applied there, then the client either sees
 * {@code ConnectionLossException} ({@link ReplyLoss#CONNECTION_LOSS}: Curator ran out of
 * retries) or the request is sent again and the retry's outcome is returned
 * ({@link ReplyLoss#RETRY}): {@code NodeExistsException} for a create,
 * {@code BadVersionException} for a versioned setData or a multi with a version check,
 * {@code NoNodeException} for a delete, a second node for an unprotected sequential
 * create, the first node for a protected one. The connection stays up either way; a
 * nemesis that wants both calls {@link #disconnect()} as well.
 *
 * <h2>Stale reads</h2> With {@link #staleReads(boolean)} on, {@code exists},
 * {@code getData} and {@code children} answer from a copy of the tree frozen when the
 * switch was turned on, as a follower that stopped applying the leader's transactions
 * would. The copy catches up to the present whenever this client writes (a write's reply
 * comes from that follower once it has applied the write, so a client always reads its
 * own writes, as ZooKeeper guarantees). Checks in a multi and conditional writes are
 * always decided on the current tree, as the leader decides them.
 *
 * <p>
 * Not thread-safe: one simulator thread drives it.
 */
public final class SimulatedZnodeStore implements ZnodeStore {

    /**
     * Curator's protection-mode prefix: {@code _c_} and a uuid and a dash before the
     * node's name.
     */
    static final String PROTECTED_PREFIX = "_c_";

    /**
     * What the client sees when the reply to a request that was applied on the server is
     * lost.
     */
    public enum ReplyLoss {

        /**
         * The request fails with {@code ConnectionLossException}: the caller cannot tell
         * it was applied.
         */
        CONNECTION_LOSS,

        /** The request is sent again and the caller gets the retry's outcome. */
        RETRY

    }

    private final SimulatedZooKeeper server;

    private final LongSupplier clock;

    private final int requestedSessionTimeoutMillis;

    private final Random random;

    private final List<Consumer<ConnectionEvent>> listeners = new ArrayList<>();

    private boolean started;

    private boolean closed;

    private boolean connected;

    private long sessionId;

    private int negotiatedSessionTimeoutMillis;

    private long disconnectedAtMillis;

    private long lastSentMillis;

    private ReplyLoss nextReplyLoss;

    private ZnodeTree staleView;

    /** A client on the server's clock. */
    public SimulatedZnodeStore(SimulatedZooKeeper server, int requestedSessionTimeoutMillis, Random random) {
        this(server, server::nowMillis, requestedSessionTimeoutMillis, random);
    }

    /**
     * A client whose own timing (pings, local detection of expiry) follows {@code clock},
     * which may differ from the server's.
     */
    public SimulatedZnodeStore(SimulatedZooKeeper server, LongSupplier clock, int requestedSessionTimeoutMillis,
            Random random) {
        this.server = Objects.requireNonNull(server, "server");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestedSessionTimeoutMillis = requestedSessionTimeoutMillis;
        this.random = Objects.requireNonNull(random, "random");
    }

    // The switches the simulator drives.

    /** Opens the first session and fires {@code CONNECTED}. */
    public void connect() {
        if (started) {
            throw new IllegalStateException("connect() opens the first session only; use reconnect()");
        }
        started = true;
        openSession();
        fire(ConnectionEvent.CONNECTED);
    }

    /**
     * Drops the connection and fires {@code SUSPENDED}; nothing happens if it is already
     * down.
     */
    public void disconnect() {
        if (!connected) {
            return;
        }
        connected = false;
        disconnectedAtMillis = clock.getAsLong();
        fire(ConnectionEvent.SUSPENDED);
    }

    /**
     * Connects again: {@code RECONNECTED} to the same session if the server still has it;
     * otherwise {@code LOST} (unless already fired) and {@code RECONNECTED} with a new
     * session. Nothing happens if connected or closed.
     */
    public void reconnect() {
        requireStarted();
        if (connected || closed) {
            return;
        }
        if (sessionId != 0 && server.isSessionAlive(sessionId)) {
            connected = true;
            server.touch(sessionId);
            lastSentMillis = clock.getAsLong();
            fire(ConnectionEvent.RECONNECTED);
            return;
        }
        if (sessionId != 0) {
            sessionId = 0;
            fire(ConnectionEvent.LOST);
        }
        openSession();
        fire(ConnectionEvent.RECONNECTED);
    }

    /**
     * The client's time passes: pings, finds a session the server ended, or times its
     * session out locally.
     */
    public void onTime() {
        if (!started || closed) {
            return;
        }
        long now = clock.getAsLong();
        if (connected) {
            if (!server.isSessionAlive(sessionId)) {
                connected = false;
                fire(ConnectionEvent.SUSPENDED);
                sessionId = 0;
                fire(ConnectionEvent.LOST);
                openSession();
                fire(ConnectionEvent.RECONNECTED);
            }
            else if (now - lastSentMillis >= negotiatedSessionTimeoutMillis / 3) {
                server.touch(sessionId);
                lastSentMillis = now;
            }
        }
        else if (sessionId != 0 && now - disconnectedAtMillis >= negotiatedSessionTimeoutMillis) {
            sessionId = 0;
            fire(ConnectionEvent.LOST);
        }
    }

    /**
     * Loses the reply to the next request that reaches the server, in the way {@code how}
     * says.
     */
    public void loseNextReply(ReplyLoss how) {
        nextReplyLoss = Objects.requireNonNull(how, "how");
    }

    /** Disarms {@link #loseNextReply(ReplyLoss)}: the next reply arrives. */
    public void keepReplies() {
        nextReplyLoss = null;
    }

    /**
     * Whether reads answer from a lagging follower's copy of the tree (see the class
     * description).
     */
    public void staleReads(boolean stale) {
        staleView = stale ? server.snapshot() : null;
    }

    /**
     * Closes the session on the server, deleting its ephemeral nodes; every request fails
     * from now on.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (connected) {
            server.closeSession(sessionId);
        }
        connected = false;
        sessionId = 0;
    }

    // ZnodeStore

    @Override
    public long sessionId() {
        return sessionId;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public int negotiatedSessionTimeoutMillis() {
        return negotiatedSessionTimeoutMillis;
    }

    @Override
    public Stat create(String path, byte[] data, CreateMode mode) throws Exception {
        String created = request(true, () -> createWithParents(path, data, mode));
        return server.tree().stat(created);
    }

    @Override
    public String createEphemeralSequential(String prefix, byte[] data, Stat stat) throws Exception {
        String parent = ZnodeTree.parentOf(prefix);
        String protectedName = PROTECTED_PREFIX + randomUuid() + "-";
        String protectedPath = (parent.equals("/") ? "/" : parent + "/") + protectedName
                + prefix.substring(prefix.lastIndexOf('/') + 1);
        String created = request(true, () -> createWithParents(protectedPath, data, CreateMode.EPHEMERAL_SEQUENTIAL),
                () -> {
                    String found = findProtected(parent, protectedName);
                    return (found != null) ? found
                            : createWithParents(protectedPath, data, CreateMode.EPHEMERAL_SEQUENTIAL);
                });
        if (stat != null) {
            ZnodeTree.copy(server.tree().stat(created), stat);
        }
        return created;
    }

    @Override
    public Stat exists(String path) throws Exception {
        return request(false, () -> view().stat(path));
    }

    @Override
    public byte[] getData(String path, Stat stat) throws Exception {
        return request(false, () -> view().getData(path, stat));
    }

    @Override
    public List<String> children(String path) throws Exception {
        return request(false, () -> {
            try {
                return view().children(path);
            }
            catch (KeeperException.NoNodeException ex) {
                return List.of();
            }
        });
    }

    @Override
    public Stat setData(String path, byte[] data, int version) throws Exception {
        return request(true, () -> server.setData(sessionId, path, data, version));
    }

    @Override
    public void delete(String path, int version) throws Exception {
        request(true, () -> {
            server.delete(sessionId, path, version);
            return null;
        });
    }

    @Override
    public List<Stat> multi(List<ZnodeOp> ops) throws Exception {
        List<ZnodeOp> copy = List.copyOf(ops);
        return request(true, () -> server.multi(sessionId, copy));
    }

    @Override
    public void addConnectionListener(Consumer<ConnectionEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeConnectionListener(Consumer<ConnectionEvent> listener) {
        listeners.remove(listener);
    }

    // Internals

    private interface ServerCall<T> {

        T call() throws KeeperException;

    }

    private <T> T request(boolean write, ServerCall<T> call) throws KeeperException {
        return request(write, call, call);
    }

    /**
     * One request: refused while disconnected, applied on the server, its reply possibly
     * lost.
     */
    private <T> T request(boolean write, ServerCall<T> first, ServerCall<T> retry) throws KeeperException {
        requireStarted();
        if (closed) {
            throw new IllegalStateException("The store is closed");
        }
        if (!connected) {
            throw new KeeperException.ConnectionLossException();
        }
        if (!server.isSessionAlive(sessionId)) {
            throw new KeeperException.SessionExpiredException();
        }
        server.touch(sessionId);
        lastSentMillis = clock.getAsLong();
        ReplyLoss loss = nextReplyLoss;
        nextReplyLoss = null;
        if (loss == null) {
            return send(write, first);
        }
        try {
            send(write, first);
        }
        catch (KeeperException ex) {
            // the reply carrying this outcome is the one lost
        }
        if (loss == ReplyLoss.CONNECTION_LOSS) {
            throw new KeeperException.ConnectionLossException();
        }
        return send(write, retry);
    }

    private <T> T send(boolean write, ServerCall<T> call) throws KeeperException {
        try {
            return call.call();
        }
        finally {
            if (write && staleView != null) {
                staleView = server.snapshot();
            }
        }
    }

    /**
     * Curator's {@code creatingParentsIfNeeded}: try, and on NoNode create the parents
     * and try again.
     */
    private String createWithParents(String path, byte[] data, CreateMode mode) throws KeeperException {
        try {
            return server.create(sessionId, path, data, mode);
        }
        catch (KeeperException.NoNodeException ex) {
            String parent = ZnodeTree.parentOf(path);
            int from = 1;
            while (from < parent.length()) {
                int slash = parent.indexOf('/', from);
                String ancestor = (slash < 0) ? parent : parent.substring(0, slash);
                if (server.tree().node(ancestor) == null) {
                    try {
                        server.create(sessionId, ancestor, new byte[0], CreateMode.PERSISTENT);
                    }
                    catch (KeeperException.NodeExistsException raced) {
                        // fine: it is there
                    }
                }
                from = ancestor.length() + 1;
            }
            return server.create(sessionId, path, data, mode);
        }
    }

    /**
     * Curator's protected-mode recovery: this session's node carrying the protected name,
     * if any.
     */
    private String findProtected(String parent, String protectedName) throws KeeperException {
        List<String> children;
        try {
            children = server.tree().children(parent);
        }
        catch (KeeperException.NoNodeException ex) {
            return null;
        }
        for (String child : children) {
            if (child.startsWith(protectedName)) {
                String path = (parent.equals("/") ? "/" : parent + "/") + child;
                if (server.tree().node(path).ephemeralOwner() == sessionId) {
                    return path;
                }
            }
        }
        return null;
    }

    private ZnodeTree view() {
        return (staleView != null) ? staleView : server.tree();
    }

    private void openSession() {
        sessionId = server.openSession(requestedSessionTimeoutMillis);
        negotiatedSessionTimeoutMillis = server.sessionTimeout(sessionId);
        lastSentMillis = clock.getAsLong();
        connected = true;
    }

    private String randomUuid() {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("connect() first");
        }
    }

    private void fire(ConnectionEvent event) {
        for (Consumer<ConnectionEvent> listener : List.copyOf(listeners)) {
            listener.accept(event);
        }
    }

    @Override
    public String toString() {
        return "SimulatedZnodeStore[session=0x" + Long.toHexString(sessionId) + ", connected=" + connected + "]";
    }

}
