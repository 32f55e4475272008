package dev.idgen.zookeeper;

import dev.idgen.core.clock.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's member record ({@code members/member-<seq>}, one per session) and the
 * cross-node clock check built on it: every node publishes its wall clock in its record,
 * and the server's modification time of that write ({@code offset = published - mtime})
 * lets nodes compare clocks with the server's own clock cancelling out. Used on the
 * coordinator lane only.
 */
final class PeerClockVote {

    private static final Logger logger = LoggerFactory.getLogger(PeerClockVote.class);

    private final ZnodeStore store;

    private final ZooKeeperLeaseSettings settings;

    private final TimeSource time;

    private final String membersPath;

    private final Set<String> sameNameWarned = new HashSet<>();

    private @Nullable String memberPath;

    private long memberSessionId;

    PeerClockVote(ZnodeStore store, ZooKeeperLeaseSettings settings, TimeSource time) {
        this.store = store;
        this.settings = settings;
        this.time = time;
        this.membersPath = settings.rootPath() + "/members";
    }

    /**
     * A member record write: the wall clock published, the server's stat of the write,
     * and its round trip.
     */
    record MemberWrite(long wall, Stat stat, long roundTripNanos) {
    }

    /**
     * How this node's clock compares with its live peers'.
     *
     * @param offset this node's offset minus the median offset of all live nodes, itself
     * included
     * @param peers how many live peers were measured
     * @param disagreeing how many of them differ from this node by more than the limit
     */
    record PeerClock(Duration offset, int peers, int disagreeing) {

        /**
         * Whether a strict majority of all live nodes, this one included, disagrees with
         * this clock. Only then is this node the odd one out. A median of peers alone
         * would condemn the healthy nodes too: with three nodes it is the mean of the
         * other two, so one bad clock would push both good ones over the limit. With two
         * nodes neither can tell which clock is wrong, so neither refuses; the NTP check
         * is what catches that case.
         */
        boolean outvoted() {
            return 2 * disagreeing > peers + 1;
        }
    }

    /**
     * Writes this node's member record with the wall clock read just before. A slow write
     * publishes a stale reading (the server stamps it later), so it is repeated a few
     * times with a fresh one. Returns {@code null} if the session is no longer the
     * claim's: a heartbeat that outlived its session must not write into the new one.
     */
    @Nullable MemberWrite write(Claim current) throws Exception {
        long slowNanos = settings.peerClockLimit().toNanos() / 2;
        MemberWrite write = null;
        for (int attempt = 0; attempt < 3 && (write == null || write.roundTripNanos() > slowNanos); attempt++) {
            if (store.sessionId() != current.sessionId) {
                return null;
            }
            long sentNanos = time.nanoTime();
            long wall = time.currentTimeMillis();
            Stat stat = writeOnce(current, wall);
            if (stat == null) {
                return null;
            }
            write = new MemberWrite(wall, stat, time.nanoTime() - sentNanos);
        }
        return write;
    }

    private @Nullable Stat writeOnce(Claim current, long wall) throws Exception {
        byte[] data = ZnodeRecord.create()
            .with("node", settings.nodeName())
            .with("host", settings.host())
            .with("port", settings.port())
            .with("workerId", current.workerId)
            .with("since", current.sinceMillis)
            .with("wall", wall)
            .toBytes();
        String path = memberPath;
        if (path != null && memberSessionId == current.sessionId) {
            try {
                return store.setData(path, data, -1);
            }
            catch (KeeperException.NoNodeException ex) {
                memberPath = null;
            }
        }
        Stat stat = new Stat();
        String created = store.createEphemeralSequential(membersPath + "/member-", data, stat);
        if (stat.getEphemeralOwner() != current.sessionId) {
            // Created in a newer session than the claim's: a record nobody would update;
            // remove it.
            store.delete(created, -1);
            return null;
        }
        memberPath = created;
        memberSessionId = current.sessionId;
        return stat;
    }

    /**
     * Whether a member record write took too long to say anything about this node's
     * clock: the server stamped it somewhere within the round trip. The caller then keeps
     * its previous verdict.
     */
    boolean tooSlowToJudge(MemberWrite member) {
        return member.roundTripNanos() > settings.peerClockLimit().toNanos() / 2;
    }

    /** This node against its live peers, or {@code null} when no peer is known. */
    @Nullable PeerClock measure(MemberWrite member) throws Exception {
        long ownOffset = member.wall() - member.stat().getMtime();
        List<Long> offsets = new ArrayList<>();
        String own = memberPath;
        for (String child : store.children(membersPath)) {
            String path = membersPath + "/" + child;
            if (path.equals(own)) {
                continue;
            }
            Stat stat = new Stat();
            try {
                ZnodeRecord peer = ZnodeRecord.parse(store.getData(path, stat));
                warnOnSameName(peer);
                long wall = peer.number("wall", Long.MIN_VALUE);
                if (wall != Long.MIN_VALUE) {
                    offsets.add(wall - stat.getMtime());
                }
            }
            catch (KeeperException.NoNodeException ex) {
                // that peer just left
            }
        }
        if (offsets.isEmpty()) {
            return null;
        }
        long limitMillis = settings.peerClockLimit().toMillis();
        int disagreeing = (int) offsets.stream().filter(peer -> Math.abs(ownOffset - peer) > limitMillis).count();
        int peers = offsets.size();
        offsets.add(ownOffset);
        Collections.sort(offsets);
        int middle = offsets.size() / 2;
        long median = offsets.size() % 2 == 1 ? offsets.get(middle)
                : Math.floorDiv(offsets.get(middle - 1) + offsets.get(middle), 2);
        return new PeerClock(Duration.ofMillis(ownOffset - median), peers, disagreeing);
    }

    /**
     * Another live process under this node's name: each still holds its own worker id
     * (claims are exclusive), but they overwrite each other's node record, so a restart
     * may not get its id back, and logs and metrics mix them up. Said once per other
     * process.
     */
    private void warnOnSameName(ZnodeRecord peer) {
        String where = peer.text("host") + ":" + peer.text("port");
        // The same host and port is this node's own previous life, whose session has not
        // expired yet.
        boolean ownPreviousLife = where.equals(settings.host() + ":" + settings.port());
        if (settings.nodeName().equals(peer.text("node")) && !ownPreviousLife && sameNameWarned.add(where)) {
            logger.warn(
                    "idgen lease [node={}] another live process uses this node name (host {}, port {}, worker id {}): "
                            + "node names must be unique (idgen.node-name)",
                    settings.nodeName(), peer.text("host"), peer.text("port"), peer.text("workerId"));
        }
    }

    /** Removes this node's member record at close, if the session still has it. */
    void leave(String who) {
        String path = memberPath;
        memberPath = null;
        if (path == null) {
            return;
        }
        try {
            if (!store.isConnected()) {
                return; // it goes with the session
            }
            store.delete(path, -1);
        }
        catch (KeeperException.NoNodeException ex) {
            // gone with its session
        }
        catch (Exception ex) {
            logger.debug("{} could not delete member record {}", who, path, ex);
        }
    }

}
