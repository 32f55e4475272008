package dev.idgen.zookeeper.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.common.PathUtils;
import org.apache.zookeeper.data.Stat;

/**
 * The znode tree of {@link SimulatedZooKeeper}: a map from absolute path to an immutable
 * {@link Znode}, so that a copy (for a multi's scratch state or a lagging follower's
 * view) is one shallow map copy. Checks run in the order ZooKeeper's
 * {@code PrepRequestProcessor} runs them, so the first failure is ZooKeeper's first
 * failure. Not thread-safe: the simulator is single-threaded.
 */
final class ZnodeTree {

    /**
     * One node. {@code cversion} counts child creations only and names sequential
     * children, as ZooKeeper stores it; a {@link Stat} reports it as changes to the
     * children, creations plus deletions.
     */
    record Znode(byte[] data, long czxid, long mzxid, long pzxid, long ctime, long mtime, int version, int cversion,
            long ephemeralOwner) {

        Znode withData(byte[] newData, long zxid, long time) {
            return new Znode(newData, czxid, zxid, pzxid, ctime, time, version + 1, cversion, ephemeralOwner);
        }

        Znode withChildCreated(long zxid) {
            return new Znode(data, czxid, mzxid, zxid, ctime, mtime, version, cversion + 1, ephemeralOwner);
        }

        Znode withChildDeleted(long zxid) {
            return new Znode(data, czxid, mzxid, Math.max(pzxid, zxid), ctime, mtime, version, cversion,
                    ephemeralOwner);
        }
    }

    private final TreeMap<String, Znode> nodes;

    private ZnodeTree(TreeMap<String, Znode> nodes) {
        this.nodes = nodes;
    }

    /**
     * A fresh ensemble's tree: {@code /} and {@code /zookeeper}, as a real server has.
     */
    static ZnodeTree initial() {
        TreeMap<String, Znode> nodes = new TreeMap<>();
        nodes.put("/", new Znode(new byte[0], 0, 0, 0, 0, 0, 0, 0, 0));
        nodes.put("/zookeeper", new Znode(new byte[0], 0, 0, 0, 0, 0, 0, 0, 0));
        return new ZnodeTree(nodes);
    }

    ZnodeTree copy() {
        return new ZnodeTree(new TreeMap<>(nodes));
    }

    /**
     * Replaces this tree's content with {@code other}'s: how a multi's scratch copy is
     * committed.
     */
    void replaceWith(ZnodeTree other) {
        nodes.clear();
        nodes.putAll(other.nodes);
    }

    Znode node(String path) {
        return nodes.get(path);
    }

    Stat stat(String path) {
        Znode node = nodes.get(path);
        return (node != null) ? stat(path, node) : null;
    }

    private Stat stat(String path, Znode node) {
        int dataLength = (node.data() != null) ? node.data().length : 0;
        int numChildren = childNames(path).size();
        // as ZooKeeper's DataNode.copyStat: every child created and not still present was
        // deleted
        int cversion = node.cversion() * 2 - numChildren;
        return new Stat(node.czxid(), node.mzxid(), node.ctime(), node.mtime(), node.version(), cversion, 0,
                node.ephemeralOwner(), dataLength, numChildren, node.pzxid());
    }

    byte[] getData(String path, Stat stat) throws KeeperException {
        Znode node = existing(path);
        if (stat != null) {
            copy(stat(path, node), stat);
        }
        return clone(node.data());
    }

    List<String> children(String path) throws KeeperException {
        existing(path);
        return childNames(path);
    }

    /** Direct children's names, sorted (a real server answers in no particular order). */
    private List<String> childNames(String path) {
        String prefix = path.equals("/") ? "/" : path + "/";
        List<String> names = new ArrayList<>();
        for (String descendant : nodes.subMap(prefix, false, prefix + Character.MAX_VALUE, false).keySet()) {
            String rest = descendant.substring(prefix.length());
            if (rest.indexOf('/') < 0) {
                names.add(rest);
            }
        }
        return names;
    }

    /** Paths of the ephemeral nodes {@code sessionId} owns, deepest first. */
    List<String> ephemeralsOf(long sessionId) {
        List<String> owned = new ArrayList<>();
        for (Map.Entry<String, Znode> entry : nodes.descendingMap().entrySet()) {
            if (entry.getValue().ephemeralOwner() == sessionId) {
                owned.add(entry.getKey());
            }
        }
        return owned;
    }

    /**
     * Creates the node and returns its actual path (with the sequence suffix for a
     * sequential mode).
     */
    String create(String path, byte[] data, CreateMode mode, long sessionId, long zxid, long time)
            throws KeeperException {
        if (mode.isContainer() || mode.isTTL()) {
            throw new UnsupportedOperationException("The model has no container or TTL nodes: " + mode);
        }
        PathUtils.validatePath(path, mode.isSequential());
        String parentPath = parentOf(path);
        Znode parent = nodes.get(parentPath);
        if (parent == null) {
            throw new KeeperException.NoNodeException(parentPath);
        }
        String actual = mode.isSequential() ? path + String.format(Locale.ENGLISH, "%010d", parent.cversion()) : path;
        if (nodes.containsKey(actual)) {
            throw new KeeperException.NodeExistsException(actual);
        }
        if (parent.ephemeralOwner() != 0) {
            throw new KeeperException.NoChildrenForEphemeralsException(actual);
        }
        long owner = mode.isEphemeral() ? sessionId : 0;
        nodes.put(parentPath, parent.withChildCreated(zxid));
        nodes.put(actual, new Znode(clone(data), zxid, zxid, zxid, time, time, 0, 0, owner));
        return actual;
    }

    Stat setData(String path, byte[] data, int version, long zxid, long time) throws KeeperException {
        Znode node = existing(path);
        checkVersion(path, node, version);
        Znode changed = node.withData(clone(data), zxid, time);
        nodes.put(path, changed);
        return stat(path, changed);
    }

    void delete(String path, int version, long zxid) throws KeeperException {
        if (path.equals("/")) {
            throw new KeeperException.BadArgumentsException(path);
        }
        Znode node = existing(path);
        checkVersion(path, node, version);
        if (!childNames(path).isEmpty()) {
            throw new KeeperException.NotEmptyException(path);
        }
        nodes.remove(path);
        String parentPath = parentOf(path);
        nodes.put(parentPath, nodes.get(parentPath).withChildDeleted(zxid));
    }

    void check(String path, int version) throws KeeperException {
        checkVersion(path, existing(path), version);
    }

    private Znode existing(String path) throws KeeperException {
        Znode node = nodes.get(path);
        if (node == null) {
            throw new KeeperException.NoNodeException(path);
        }
        return node;
    }

    private static void checkVersion(String path, Znode node, int version) throws KeeperException {
        if (version != -1 && version != node.version()) {
            throw new KeeperException.BadVersionException(path);
        }
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return (slash == 0) ? "/" : path.substring(0, slash);
    }

    static void copy(Stat from, Stat to) {
        to.setCzxid(from.getCzxid());
        to.setMzxid(from.getMzxid());
        to.setCtime(from.getCtime());
        to.setMtime(from.getMtime());
        to.setVersion(from.getVersion());
        to.setCversion(from.getCversion());
        to.setAversion(from.getAversion());
        to.setEphemeralOwner(from.getEphemeralOwner());
        to.setDataLength(from.getDataLength());
        to.setNumChildren(from.getNumChildren());
        to.setPzxid(from.getPzxid());
    }

    private static byte[] clone(byte[] data) {
        return (data != null) ? data.clone() : null;
    }

}
