package dev.idgen.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.curator.framework.AuthInfo;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

/**
 * Who may change idgen's znodes when the nodes authenticate to ZooKeeper: the identity
 * that created a znode may do everything with it, anyone may read it.
 *
 * <p>
 * Every idgen node of one cluster must authenticate as the same identity (one digest
 * user, or one SASL principal): worker ids pass between nodes, and the next holder of a
 * worker id rewrites the reservation the previous one created. Read access stays open so
 * that operators can inspect claims and reservations with {@code zkCli.sh} without the
 * credentials; nothing in them is secret (node names, hosts, ports, timestamps). Without
 * {@code DELETE} and {@code WRITE} on the parents and the nodes themselves, a client with
 * other or no credentials can neither delete a claim (to take a worker id that is in use)
 * nor lower a reservation (to make a later holder reuse timestamps): both would let two
 * nodes issue the same ids.
 *
 * <p>
 * Use both halves on the Curator client that the lease runs on: <pre>{@code
 * CuratorFrameworkFactory.builder()
 *     .authorization(List.of(ZooKeeperAcls.digest("idgen", password)))
 *     .aclProvider(ZooKeeperAcls.idgenNodesOnly())
 *     ...
 * }</pre> With SASL (Kerberos or DIGEST-MD5 through the JVM's JAAS configuration, {@code
 * -Djava.security.auth.login.config=...} with a {@code Client} section) ZooKeeper
 * authenticates the session itself: only the ACL provider is needed, and the "creator" is
 * the SASL principal as the server maps it (see the server's
 * {@code kerberos.removeHostFromPrincipal} and {@code kerberos.removeRealmFromPrincipal},
 * which let one principal per host map to one identity).
 *
 * <p>
 * The ACL is applied to znodes as they are created. Turning authentication on for a root
 * path whose znodes already exist leaves those open: use a new root path (the nodes'
 * durable floors keep their ids safe across the move) or set the ACL of the existing
 * znodes with {@code setAcl}.
 */
public final class ZooKeeperAcls {

    /**
     * Everything for the authenticated identity that creates the znode, read for anyone.
     */
    public static final List<ACL> CREATOR_ALL_WORLD_READ = creatorAllWorldRead();

    private static final ACLProvider IDGEN_NODES_ONLY = new ACLProvider() {

        @Override
        public List<ACL> getDefaultAcl() {
            return CREATOR_ALL_WORLD_READ;
        }

        @Override
        public List<ACL> getAclForPath(String path) {
            return CREATOR_ALL_WORLD_READ;
        }

        @Override
        public String toString() {
            return "ZooKeeperAcls.idgenNodesOnly()";
        }
    };

    private ZooKeeperAcls() {
    }

    /**
     * An {@link ACLProvider} giving every znode the client creates
     * {@link #CREATOR_ALL_WORLD_READ}. The client must be authenticated (digest or SASL):
     * ZooKeeper refuses a "creator" ACL from a session without an identity
     * ({@code InvalidACL}), so a node whose authentication failed claims nothing.
     */
    public static ACLProvider idgenNodesOnly() {
        return IDGEN_NODES_ONLY;
    }

    /**
     * Digest authentication as {@code username} with {@code password}, for
     * {@code Builder.authorization}.
     */
    public static AuthInfo digest(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isEmpty() || username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("username must be non-empty and must not contain ':'");
        }
        return new AuthInfo("digest", (username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static List<ACL> creatorAllWorldRead() {
        List<ACL> acl = new ArrayList<>(ZooDefs.Ids.CREATOR_ALL_ACL);
        acl.addAll(ZooDefs.Ids.READ_ACL_UNSAFE);
        // Not List.copyOf: ZooKeeper checks acl.contains(null), which an immutable
        // List.of rejects with a
        // NullPointerException.
        return Collections.unmodifiableList(acl);
    }

}
