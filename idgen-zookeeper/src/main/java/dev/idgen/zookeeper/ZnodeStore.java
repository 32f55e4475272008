package dev.idgen.zookeeper;

import java.util.List;
import java.util.function.Consumer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * The part of ZooKeeper the lease relies on, and nothing more: the lease's only way to
 * the coordination store. {@link CuratorZnodeStore} is the production implementation; the
 * deterministic simulator in this module's tests implements the same contract in memory,
 * and a contract test runs the same cases against both, so the model cannot drift from
 * the real thing unseen.
 *
 * <p>
 * Failures are ZooKeeper's own {@link KeeperException}s: {@code NoNodeException},
 * {@code NodeExistsException}, {@code BadVersionException},
 * {@code ConnectionLossException} (the request may or may not have been applied),
 * {@code SessionExpiredException}. An implementation may retry a request whose reply was
 * lost (Curator does), so a caller must expect its own earlier write to be the reason for
 * a {@code NodeExistsException} or {@code BadVersionException}.
 */
public interface ZnodeStore {

    /** The current session's id, or 0 while there is none. */
    long sessionId();

    /** Whether a server is reachable now, so that a request can be answered. */
    boolean isConnected();

    /**
     * The session timeout the server granted, in milliseconds: the fencing deadline is
     * built on it.
     */
    int negotiatedSessionTimeoutMillis();

    /**
     * Creates a node, and any missing parents as persistent nodes, and returns its stat.
     */
    Stat create(String path, byte[] data, CreateMode mode) throws Exception;

    /**
     * Creates an {@link CreateMode#EPHEMERAL_SEQUENTIAL} node named {@code prefix} plus a
     * sequence number, at most once even when a reply is lost; fills {@code stat} and
     * returns the node's path.
     */
    String createEphemeralSequential(String prefix, byte[] data, Stat stat) throws Exception;

    /** The node's stat, or {@code null} when it does not exist. */
    @Nullable Stat exists(String path) throws Exception;

    /** The node's data; fills {@code stat}. */
    byte @Nullable [] getData(String path, Stat stat) throws Exception;

    /** The names of the node's children; empty when the node does not exist. */
    List<String> children(String path) throws Exception;

    /**
     * Replaces the data if the node's version is {@code version} ({@code -1}: any) and
     * returns the new stat.
     */
    Stat setData(String path, byte[] data, int version) throws Exception;

    /** Deletes the node if its version is {@code version} ({@code -1}: any). */
    void delete(String path, int version) throws Exception;

    /**
     * Applies every operation or none, in one step. Returns a stat per operation
     * ({@code null} where ZooKeeper reports none: checks, deletes, creates); throws the
     * first failing operation's exception.
     */
    List<@Nullable Stat> multi(List<ZnodeOp> ops) throws Exception;

    /** Calls {@code listener} on every change of the connection, in order. */
    void addConnectionListener(Consumer<ConnectionEvent> listener);

    void removeConnectionListener(Consumer<ConnectionEvent> listener);

    /**
     * What the lease learns about its connection (Curator's connection states, read-only
     * folded in).
     */
    enum ConnectionEvent {

        /** The first connection of a session. */
        CONNECTED,

        /** The connection dropped; the session may still be alive on the server. */
        SUSPENDED,

        /**
         * Connected again, to the same session or a new one: the session id says which.
         */
        RECONNECTED,

        /**
         * The session is gone: its ephemeral nodes may already belong to nobody, or to
         * another node.
         */
        LOST

    }

}
