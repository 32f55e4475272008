package dev.idgen.zookeeper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link ZooKeeperWorkerLease} claims, keeps and releases its worker id: the one
 * place these settings are defined and validated. An invalid value fails fast with an
 * {@link InvalidLeaseSettingException} that names the setting and its allowed range (the
 * Spring Boot starter reports it as the matching property).
 *
 * @param rootPath the znode under which claims, reservations, node and member records
 * live
 * @param nodeName this node's stable identity; a node that restarts gracefully under the
 * same name gets its previous worker id back
 * @param assignment how the worker id is assigned, {@code zookeeper} or {@code embedded}
 * (reported in snapshots only)
 * @param minWorkerId the lowest worker id this node may claim
 * @param maxWorkerId the highest worker id this node may claim
 * @param sessionTimeout the session timeout requested from ZooKeeper; fencing uses the
 * timeout ZooKeeper actually negotiated
 * @param heartbeatInterval how often the claim is confirmed and the reservation extended
 * @param safetyMargin subtracted from the fencing deadline, for clock-rate differences
 * and scheduling delays between this node and the ZooKeeper servers
 * @param peerClockWarn how far this node's clock may differ from its peers' before it is
 * reported
 * @param peerClockLimit how far this node's clock may differ from its peers' before it
 * stops issuing
 * @param host this node's host for the member record, or {@code null} when unknown
 * @param port this node's HTTP port for the member record, or 0 when unknown
 * @param maxHandoverWait how long a claim may wait for its clock to pass a worker id's
 * reservation before it prefers another free worker id whose reservation is already past
 * (after a forward clock jump, a node's own previous id can be reserved far ahead)
 * @param stateDir where this node keeps its durable record of the highest timestamp it
 * reserved per worker id, a floor that holds even when ZooKeeper loses its data;
 * {@code null} for none
 */
public record ZooKeeperLeaseSettings(String rootPath, String nodeName, String assignment, int minWorkerId,
        int maxWorkerId, Duration sessionTimeout, Duration heartbeatInterval, Duration safetyMargin,
        Duration peerClockWarn, Duration peerClockLimit, Duration maxHandoverWait, @Nullable String host, int port,
        @Nullable Path stateDir) {

    /** Default root znode. */
    public static final String DEFAULT_ROOT_PATH = "/idgen";

    /**
     * Node names become znode names and appear in log lines: keep them to a safe
     * alphabet.
     */
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private static final Pattern ROOT_PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");

    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    public ZooKeeperLeaseSettings {
        if (rootPath == null || !ROOT_PATH.matcher(rootPath).matches() || rootPath.contains("/./")
                || rootPath.endsWith("/.") || rootPath.contains("/../") || rootPath.endsWith("/..")
                || rootPath.startsWith("/zookeeper")) {
            throw new InvalidLeaseSettingException("rootPath", rootPath, "must be an absolute znode path such as "
                    + "/idgen (letters, digits, '.', '_', '-'; not the root, not under /zookeeper, no trailing /)");
        }
        if (!isValidNodeName(nodeName)) {
            throw new InvalidLeaseSettingException("nodeName", nodeName, "must be 1 to 128 characters of letters, "
                    + "digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
        if (!"zookeeper".equals(assignment) && !"embedded".equals(assignment)) {
            throw new InvalidLeaseSettingException("assignment", assignment, "must be 'zookeeper' or 'embedded'");
        }
        if (minWorkerId < 0 || maxWorkerId < minWorkerId) {
            throw new InvalidLeaseSettingException("workerIdRange", minWorkerId + " to " + maxWorkerId,
                    "must satisfy 0 <= minWorkerId <= maxWorkerId");
        }
        checkBetween("sessionTimeout", sessionTimeout, Duration.ofMillis(100), MAX_TIMEOUT);
        checkBetween("safetyMargin", safetyMargin, Duration.ZERO, sessionTimeout.dividedBy(2));
        // Two heartbeats must fit in what fencing grants after one confirmation, so one
        // lost heartbeat
        // never stops issuing.
        Duration fencedSpan = sessionTimeout.minus(safetyMargin).dividedBy(2);
        if (heartbeatInterval == null || heartbeatInterval.compareTo(Duration.ofMillis(10)) < 0
                || heartbeatInterval.compareTo(fencedSpan) > 0) {
            throw new InvalidLeaseSettingException("heartbeatInterval", heartbeatInterval,
                    "must be between PT0.01S and (sessionTimeout - safetyMargin) / 2 = " + fencedSpan);
        }
        checkBetween("peerClockWarn", peerClockWarn, Duration.ZERO, Duration.ofHours(24));
        checkBetween("peerClockLimit", peerClockLimit, peerClockWarn, Duration.ofHours(24));
        checkBetween("maxHandoverWait", maxHandoverWait, Duration.ZERO, Duration.ofHours(24));
        if (port < 0 || port > 65535) {
            throw new InvalidLeaseSettingException("port", port, "must be between 0 and 65535");
        }
    }

    /**
     * Whether {@code name} can name a node: it becomes a znode name and appears in log
     * lines.
     */
    public static boolean isValidNodeName(@Nullable String name) {
        return name != null && NODE_NAME.matcher(name).matches();
    }

    private static void checkBetween(String name, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidLeaseSettingException(name, value, "must be between " + min + " and " + max);
        }
    }

    /**
     * The defaults for {@code nodeName}: session 30 s, heartbeat 10 s, worker ids 0 to
     * 1023.
     */
    public static ZooKeeperLeaseSettings defaults(String nodeName) {
        return builder(nodeName).build();
    }

    /** A builder starting from {@link #defaults(String)}. */
    public static Builder builder(String nodeName) {
        return new Builder(nodeName);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder builder = new Builder(nodeName);
        builder.rootPath = rootPath;
        builder.assignment = assignment;
        builder.minWorkerId = minWorkerId;
        builder.maxWorkerId = maxWorkerId;
        builder.sessionTimeout = sessionTimeout;
        builder.heartbeatInterval = heartbeatInterval;
        builder.safetyMargin = safetyMargin;
        builder.peerClockWarn = peerClockWarn;
        builder.peerClockLimit = peerClockLimit;
        builder.maxHandoverWait = maxHandoverWait;
        builder.host = host;
        builder.port = port;
        builder.stateDir = stateDir;
        return builder;
    }

    /**
     * How far a reservation runs ahead of the clock: two heartbeats, so one late
     * heartbeat costs nothing.
     */
    Duration reservationLead() {
        return heartbeatInterval.multipliedBy(2);
    }

    /** Builds {@link ZooKeeperLeaseSettings}; {@link #build()} validates. */
    public static final class Builder {

        private String rootPath = DEFAULT_ROOT_PATH;

        private final String nodeName;

        private @Nullable String assignment = "zookeeper";

        private int minWorkerId = 0;

        private int maxWorkerId = 1023;

        private Duration sessionTimeout = Duration.ofSeconds(30);

        private Duration heartbeatInterval = Duration.ofSeconds(10);

        private Duration safetyMargin = Duration.ofSeconds(2);

        private Duration peerClockWarn = Duration.ofMillis(100);

        private Duration peerClockLimit = Duration.ofSeconds(1);

        private Duration maxHandoverWait = Duration.ofSeconds(30);

        private @Nullable String host;

        private int port;

        private @Nullable Path stateDir;

        private Builder(String nodeName) {
            this.nodeName = nodeName;
        }

        public Builder rootPath(String rootPath) {
            this.rootPath = rootPath;
            return this;
        }

        public Builder assignment(@Nullable String assignment) {
            this.assignment = assignment;
            return this;
        }

        /** The inclusive range of worker ids to claim from. */
        public Builder workerIdRange(int minWorkerId, int maxWorkerId) {
            this.minWorkerId = minWorkerId;
            this.maxWorkerId = maxWorkerId;
            return this;
        }

        public Builder sessionTimeout(Duration sessionTimeout) {
            this.sessionTimeout = sessionTimeout;
            return this;
        }

        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        public Builder safetyMargin(Duration safetyMargin) {
            this.safetyMargin = safetyMargin;
            return this;
        }

        public Builder peerClockWarn(Duration peerClockWarn) {
            this.peerClockWarn = peerClockWarn;
            return this;
        }

        public Builder peerClockLimit(Duration peerClockLimit) {
            this.peerClockLimit = peerClockLimit;
            return this;
        }

        public Builder maxHandoverWait(Duration maxHandoverWait) {
            this.maxHandoverWait = maxHandoverWait;
            return this;
        }

        /**
         * Where this node can be reached, for the member record; {@code null}/0 when
         * unknown.
         */
        public Builder endpoint(@Nullable String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** Where the durable per-worker-id floor is kept; {@code null} for none. */
        public Builder stateDir(@Nullable Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        // Safe: the compact constructor rejects a null assignment, naming the setting.
        @SuppressWarnings("NullAway")
        public ZooKeeperLeaseSettings build() {
            return new ZooKeeperLeaseSettings(rootPath, nodeName, assignment, minWorkerId, maxWorkerId, sessionTimeout,
                    heartbeatInterval, safetyMargin, peerClockWarn, peerClockLimit, maxHandoverWait, host, port,
                    stateDir);
        }

    }
}
