package dev.idgen.boot.autoconfigure;

import dev.idgen.core.ClockBackwardsPolicy;
import dev.idgen.core.IdLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the id generator, under {@code idgen}. Checked when the beans are
 * created: an invalid value stops start-up with a message naming the property and its
 * allowed range ({@link IdGeneratorSettings}).
 */
@ConfigurationProperties("idgen")
public class IdGeneratorProperties {

    /**
     * Stable identity of this node, recorded with the worker id it holds so that an id
     * can be traced back to the node that issued it. Defaults to the host name.
     */
    private @Nullable String nodeName;

    private final Layout layout = new Layout();

    private final Worker worker = new Worker();

    private final Zookeeper zookeeper = new Zookeeper();

    private final Clock clock = new Clock();

    public @Nullable String getNodeName() {
        return nodeName;
    }

    public void setNodeName(@Nullable String nodeName) {
        this.nodeName = nodeName;
    }

    public Layout getLayout() {
        return layout;
    }

    public Worker getWorker() {
        return worker;
    }

    public Zookeeper getZookeeper() {
        return zookeeper;
    }

    public Clock getClock() {
        return clock;
    }

    /**
     * How a 64-bit id is cut into timestamp, worker id and sequence; the three widths add
     * up to 63.
     */
    public static class Layout {

        /**
         * Instant from which timestamps count, a whole millisecond. Never change it once
         * ids are issued.
         */
        private Instant epoch = IdLayout.DEFAULT_EPOCH;

        /**
         * Width of the timestamp field in bits, 1 to 63: sets how long the layout lasts.
         */
        private int timestampBits = 41;

        /**
         * Width of the worker-id field in bits, 0 to 31: sets how many nodes can issue at
         * once.
         */
        private int workerIdBits = 10;

        /**
         * Width of the sequence field in bits, 0 to 31: sets how many ids a node issues
         * per millisecond.
         */
        private int sequenceBits = 12;

        public Instant getEpoch() {
            return epoch;
        }

        public void setEpoch(Instant epoch) {
            this.epoch = epoch;
        }

        public int getTimestampBits() {
            return timestampBits;
        }

        public void setTimestampBits(int timestampBits) {
            this.timestampBits = timestampBits;
        }

        public int getWorkerIdBits() {
            return workerIdBits;
        }

        public void setWorkerIdBits(int workerIdBits) {
            this.workerIdBits = workerIdBits;
        }

        public int getSequenceBits() {
            return sequenceBits;
        }

        public void setSequenceBits(int sequenceBits) {
            this.sequenceBits = sequenceBits;
        }

    }

    /** How this node gets its worker id. */
    public static class Worker {

        /**
         * Where the worker id comes from: "zookeeper" (a ZooKeeper ensemble shared by all
         * nodes), "static" (the operator assigns a distinct "idgen.worker.id" to every
         * node) or "embedded" (an in-process single-node ZooKeeper: one host only,
         * refused on a cloud platform). Required: with no value start-up fails, because
         * any guess could give two hosts the same worker id.
         */
        private @Nullable Assignment assignment;

        /**
         * Worker id of this node when assignment is "static"; 0 to the largest id the
         * layout allows.
         */
        private @Nullable Integer id;

        /**
         * Worker ids this node may claim, as "min-max" (inclusive, for example "100-199")
         * or a single id. Lets regions share a layout without sharing a ZooKeeper.
         * Defaults to every id the layout allows.
         */
        private @Nullable String range;

        /**
         * How long start-up waits for the first worker-id claim. After it the application
         * keeps running but is not ready and refuses ids until the claim succeeds; a
         * range with no free id fails start-up instead.
         */
        private Duration startupTimeout = Duration.ofSeconds(10);

        /**
         * Directory where this node durably records the highest timestamp it reserved for
         * each worker id, a floor under every later claim that holds even when ZooKeeper
         * loses its data or is replaced. Must be writable (created if missing), survive
         * restarts and belong to this node alone: give every node on a host its own.
         * Defaults to ".idgen/state" under the user's home directory (not java.io.tmpdir,
         * which many hosts clear at boot). Assignments "zookeeper" and "embedded" only.
         */
        private @Nullable Path stateDir;

        public @Nullable Assignment getAssignment() {
            return assignment;
        }

        public void setAssignment(@Nullable Assignment assignment) {
            this.assignment = assignment;
        }

        public @Nullable Integer getId() {
            return id;
        }

        public void setId(@Nullable Integer id) {
            this.id = id;
        }

        public @Nullable String getRange() {
            return range;
        }

        public void setRange(@Nullable String range) {
            this.range = range;
        }

        public Duration getStartupTimeout() {
            return startupTimeout;
        }

        public @Nullable Path getStateDir() {
            return stateDir;
        }

        public void setStateDir(@Nullable Path stateDir) {
            this.stateDir = stateDir;
        }

        public void setStartupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
        }

    }

    /** Ways a node gets its worker id. */
    public enum Assignment {

        /**
         * Leased from an in-process single-node ZooKeeper: one host only (development, a
         * single node). Two hosts in this mode each hold worker id 0 of their own server
         * and issue the same ids.
         */
        EMBEDDED,

        /** Leased from a ZooKeeper ensemble shared by every node. */
        ZOOKEEPER,

        /** Fixed by configuration; the operator guarantees no two nodes share it. */
        STATIC;

        /**
         * Lower-case name, as in the configuration and in
         * {@code LeaseSnapshot#assignment()}.
         */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

    }

    /** ZooKeeper used to lease worker ids (assignments "zookeeper" and "embedded"). */
    public static class Zookeeper {

        /**
         * ZooKeeper ensemble as "host:port[,host:port...]". Required for assignment
         * "zookeeper" unless the application already has a CuratorFramework bean; also
         * lets other nodes join a node that runs the embedded server.
         */
        private @Nullable String connectString;

        /**
         * ZooKeeper path under which worker ids are leased. All nodes of one id space
         * share it.
         */
        private String rootPath = "/idgen";

        /**
         * ZooKeeper session timeout: how long after losing contact a node's claim lapses
         * and its worker id can pass to another node. The lease window never outlives it.
         */
        private Duration sessionTimeout = Duration.ofSeconds(30);

        /**
         * How often a node confirms its claim and extends its reservation. At most
         * (session-timeout - safety-margin) / 2, so that one lost heartbeat never stops
         * issuing.
         */
        private Duration heartbeatInterval = Duration.ofSeconds(10);

        /**
         * Subtracted from the fencing deadline (the moment the session could have
         * expired), for clock-rate differences and scheduling delays between this node
         * and the ZooKeeper servers. At most half the session timeout.
         */
        private Duration safetyMargin = Duration.ofSeconds(2);

        /**
         * How long a claim may wait for this node's clock to pass a worker id's
         * reservation before it takes another free worker id whose reservation is already
         * past instead. After a forward clock jump and its correction, a node's previous
         * worker id is reserved as far ahead as the jump. At most 24h.
         */
        private Duration maxHandoverWait = Duration.ofSeconds(30);

        private final Embedded embedded = new Embedded();

        private final Auth auth = new Auth();

        public @Nullable String getConnectString() {
            return connectString;
        }

        public void setConnectString(@Nullable String connectString) {
            this.connectString = connectString;
        }

        public String getRootPath() {
            return rootPath;
        }

        public void setRootPath(String rootPath) {
            this.rootPath = rootPath;
        }

        public Duration getSessionTimeout() {
            return sessionTimeout;
        }

        public void setSessionTimeout(Duration sessionTimeout) {
            this.sessionTimeout = sessionTimeout;
        }

        public Duration getHeartbeatInterval() {
            return heartbeatInterval;
        }

        public void setHeartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
        }

        public Duration getSafetyMargin() {
            return safetyMargin;
        }

        public Duration getMaxHandoverWait() {
            return maxHandoverWait;
        }

        public void setMaxHandoverWait(Duration maxHandoverWait) {
            this.maxHandoverWait = maxHandoverWait;
        }

        public void setSafetyMargin(Duration safetyMargin) {
            this.safetyMargin = safetyMargin;
        }

        public Embedded getEmbedded() {
            return embedded;
        }

        public Auth getAuth() {
            return auth;
        }

    }

    /**
     * Authentication to ZooKeeper. Once set, every znode idgen creates gets an ACL that
     * lets only this identity change it and anyone read it, so that no other client can
     * delete a claim or lower a reservation. All nodes of a cluster must use the same
     * identity. Applied to the Curator client the starter builds and to Spring Cloud
     * Zookeeper's; an application with a CuratorFramework of its own configures it there
     * (ZooKeeperAcls).
     */
    public static class Auth {

        /** User name for ZooKeeper digest authentication; requires "password". */
        private @Nullable String username;

        /** Password for ZooKeeper digest authentication; requires "username". */
        private @Nullable String password;

        /**
         * Whether this node authenticates to ZooKeeper with SASL, as configured by
         * ZooKeeper's standard JAAS system properties (java.security.auth.login.config
         * with a "Client" section). idgen's znodes then get the same ACL, for the SASL
         * principal.
         */
        private boolean sasl;

        public @Nullable String getUsername() {
            return username;
        }

        public void setUsername(@Nullable String username) {
            this.username = username;
        }

        public @Nullable String getPassword() {
            return password;
        }

        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        public boolean isSasl() {
            return sasl;
        }

        public void setSasl(boolean sasl) {
            this.sasl = sasl;
        }

    }

    /**
     * In-process ZooKeeper server of assignment "embedded", bound to the loopback
     * address.
     */
    public static class Embedded {

        /** Client port of the embedded server, 0 to 65535; 0 picks any free port. */
        private int port = 2181;

        /**
         * Folder for the embedded server's data, so that worker-id reservations survive a
         * restart. Defaults to "zookeeper/<port>" under "idgen.worker.state-dir", or to a
         * new temporary folder (deleted on close) when the port is 0.
         */
        private @Nullable String dataDir;

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public @Nullable String getDataDir() {
            return dataDir;
        }

        public void setDataDir(@Nullable String dataDir) {
            this.dataDir = dataDir;
        }

    }

    /** How the generator treats the clock. */
    public static class Clock {

        /**
         * What to do when the clock reads earlier than the last issued timestamp: "wait"
         * for it to catch up (up to "max-backward-wait", else refuse) or "borrow" future
         * timestamps (up to "max-borrow").
         */
        private ClockBackwardsPolicy policy = ClockBackwardsPolicy.WAIT;

        /**
         * Largest backward clock step that the "wait" policy waits out, 0 to 10s; larger
         * steps are refused.
         */
        private Duration maxBackwardWait = Duration.ofMillis(5);

        /**
         * Largest lead over the clock that the "borrow" policy takes, 0 to 1h; beyond it
         * ids are refused.
         */
        private Duration maxBorrow = Duration.ofSeconds(1);

        /**
         * For tests and fault drills only: skew added to the system clock as seen by the
         * generator, the lease and the NTP monitor, to rehearse a node whose clock is
         * wrong. -1h to 1h. Never set it in production.
         */
        private Duration offset = Duration.ZERO;

        /**
         * Peer clock offset (this node's clock minus the median of live peers', as seen
         * through ZooKeeper) above which a warning is logged.
         */
        private Duration peerWarnThreshold = Duration.ofMillis(100);

        /**
         * Peer clock offset above which this node stops issuing ids, because reservations
         * handed over between nodes assume their clocks agree.
         */
        private Duration peerCriticalThreshold = Duration.ofSeconds(1);

        private final Ntp ntp = new Ntp();

        public ClockBackwardsPolicy getPolicy() {
            return policy;
        }

        public void setPolicy(ClockBackwardsPolicy policy) {
            this.policy = policy;
        }

        public Duration getMaxBackwardWait() {
            return maxBackwardWait;
        }

        public void setMaxBackwardWait(Duration maxBackwardWait) {
            this.maxBackwardWait = maxBackwardWait;
        }

        public Duration getMaxBorrow() {
            return maxBorrow;
        }

        public void setMaxBorrow(Duration maxBorrow) {
            this.maxBorrow = maxBorrow;
        }

        public Duration getOffset() {
            return offset;
        }

        public void setOffset(Duration offset) {
            this.offset = offset;
        }

        public Duration getPeerWarnThreshold() {
            return peerWarnThreshold;
        }

        public void setPeerWarnThreshold(Duration peerWarnThreshold) {
            this.peerWarnThreshold = peerWarnThreshold;
        }

        public Duration getPeerCriticalThreshold() {
            return peerCriticalThreshold;
        }

        public void setPeerCriticalThreshold(Duration peerCriticalThreshold) {
            this.peerCriticalThreshold = peerCriticalThreshold;
        }

        public Ntp getNtp() {
            return ntp;
        }

    }

    /** Drift monitoring against NTP servers; needs commons-net on the class path. */
    public static class Ntp {

        /**
         * NTP servers to compare the clock with, as "host" or "host:port". Empty turns
         * monitoring off.
         */
        private List<String> servers = new ArrayList<>();

        /** How often the clock is compared with the NTP servers. */
        private Duration interval = Duration.ofMinutes(5);

        /** Drift above which a warning is logged. */
        private Duration warnThreshold = Duration.ofMillis(10);

        /**
         * Drift above which health reports DOWN (and, with "refuse-on-critical", ids are
         * refused).
         */
        private Duration criticalThreshold = Duration.ofMillis(50);

        /**
         * Whether to refuse to issue ids while the drift is above the critical threshold.
         */
        private boolean refuseOnCritical;

        public List<String> getServers() {
            return servers;
        }

        public void setServers(List<String> servers) {
            this.servers = servers;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getWarnThreshold() {
            return warnThreshold;
        }

        public void setWarnThreshold(Duration warnThreshold) {
            this.warnThreshold = warnThreshold;
        }

        public Duration getCriticalThreshold() {
            return criticalThreshold;
        }

        public void setCriticalThreshold(Duration criticalThreshold) {
            this.criticalThreshold = criticalThreshold;
        }

        public boolean isRefuseOnCritical() {
            return refuseOnCritical;
        }

        public void setRefuseOnCritical(boolean refuseOnCritical) {
            this.refuseOnCritical = refuseOnCritical;
        }

    }

}
