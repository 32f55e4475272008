package dev.idgen.boot.autoconfigure;

import dev.idgen.boot.autoconfigure.IdGeneratorProperties.Assignment;
import dev.idgen.zookeeper.InvalidLeaseSettingException;
import dev.idgen.zookeeper.ZooKeeperAcls;
import dev.idgen.zookeeper.ZooKeeperLeaseSettings;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.curator.framework.AuthInfo;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The {@code idgen.zookeeper.*} properties (and the clock's peer thresholds, which only
 * the lease uses) checked and turned into what the ZooKeeper beans need: the lease's
 * settings, the connect string, the embedded port and the client's authentication. Part
 * of {@link IdGeneratorSettings}, which reports every invalid property at once.
 */
public final class IdGeneratorZooKeeperSettings {

    /**
     * The lease's settings by their names in {@link ZooKeeperLeaseSettings}, and the
     * properties behind them.
     */
    private static final Map<String, String> LEASE_PROPERTIES = Map.of("rootPath", "idgen.zookeeper.root-path",
            "nodeName", "idgen.node-name", "assignment", "idgen.worker.assignment", "workerIdRange",
            "idgen.worker.range", "sessionTimeout", "idgen.zookeeper.session-timeout", "heartbeatInterval",
            "idgen.zookeeper.heartbeat-interval", "safetyMargin", "idgen.zookeeper.safety-margin", "peerClockWarn",
            "idgen.clock.peer-warn-threshold", "peerClockLimit", "idgen.clock.peer-critical-threshold",
            "maxHandoverWait", "idgen.zookeeper.max-handover-wait");

    private final IdGeneratorProperties properties;

    private final int minWorkerId;

    private final int maxWorkerId;

    private final Supplier<Path> stateDir;

    IdGeneratorZooKeeperSettings(IdGeneratorProperties properties, int minWorkerId, int maxWorkerId,
            Supplier<Path> stateDir) {
        this.properties = properties;
        this.minWorkerId = minWorkerId;
        this.maxWorkerId = maxWorkerId;
        this.stateDir = stateDir;
    }

    /**
     * The ZooKeeper properties: the embedded port, the credentials and every lease
     * setting. {@link ZooKeeperLeaseSettings} validates those in one place and stops at
     * the first it rejects; so a rejected one is put back to its default and the rest
     * validated again, until every rejected setting is known.
     */
    void check(Assignment assignment, List<InvalidConfigurationPropertyValueException> problems) {
        if (assignment == Assignment.EMBEDDED) {
            IdGeneratorSettings.collect(problems, this::embeddedPort);
        }
        IdGeneratorSettings.collect(problems, this::zooKeeperAuthenticated);
        Set<String> defaulted = new HashSet<>();
        defaulted.add("nodeName"); // checked by IdGeneratorSettings, under its own
                                   // property
        if (maxWorkerId < minWorkerId) {
            defaulted.add("workerIdRange"); // already reported as idgen.worker.range or
                                            // the layout
        }
        for (int attempt = 0; attempt <= LEASE_PROPERTIES.size(); attempt++) {
            try {
                leaseSettings("validating", null, 0, defaulted);
                return;
            }
            catch (InvalidLeaseSettingException ex) {
                if (!defaulted.add(ex.setting())) {
                    return; // a default itself is rejected: nothing more to learn from
                            // the properties
                }
                problems.add(asProperty(ex));
            }
        }
    }

    /**
     * The lease's settings from the properties. {@link ZooKeeperLeaseSettings} is the one
     * place they are validated; a value it rejects is reported here as the property it
     * came from, with its allowed range.
     */
    public ZooKeeperLeaseSettings zooKeeperLeaseSettings(String nodeName, @Nullable String host, int port) {
        try {
            return leaseSettings(nodeName, host, port, Set.of()).stateDir(stateDir.get()).build();
        }
        catch (InvalidLeaseSettingException ex) {
            throw asProperty(ex);
        }
    }

    /**
     * The lease's settings from the properties, but for those named in {@code defaulted},
     * which keep {@link ZooKeeperLeaseSettings}'s defaults. Validated, without a state
     * directory.
     */
    private ZooKeeperLeaseSettings.Builder leaseSettings(String nodeName, @Nullable String host, int port,
            Set<String> defaulted) {
        IdGeneratorProperties.Zookeeper zk = properties.getZookeeper();
        IdGeneratorProperties.Clock clock = properties.getClock();
        ZooKeeperLeaseSettings.Builder builder = ZooKeeperLeaseSettings.builder(nodeName).endpoint(host, port);
        if (!defaulted.contains("rootPath")) {
            builder.rootPath(zk.getRootPath());
        }
        if (!defaulted.contains("assignment")) {
            builder.assignment(properties.getWorker().getAssignment() == null ? null
                    : properties.getWorker().getAssignment().tag());
        }
        if (!defaulted.contains("workerIdRange")) {
            builder.workerIdRange(minWorkerId, maxWorkerId);
        }
        if (!defaulted.contains("sessionTimeout")) {
            builder.sessionTimeout(zk.getSessionTimeout());
        }
        if (!defaulted.contains("heartbeatInterval")) {
            builder.heartbeatInterval(zk.getHeartbeatInterval());
        }
        if (!defaulted.contains("safetyMargin")) {
            builder.safetyMargin(zk.getSafetyMargin());
        }
        if (!defaulted.contains("peerClockWarn")) {
            builder.peerClockWarn(clock.getPeerWarnThreshold());
        }
        if (!defaulted.contains("peerClockLimit")) {
            builder.peerClockLimit(clock.getPeerCriticalThreshold());
        }
        if (!defaulted.contains("maxHandoverWait")) {
            builder.maxHandoverWait(zk.getMaxHandoverWait());
        }
        builder.build(); // validates: throws InvalidLeaseSettingException
        return builder;
    }

    /**
     * A lease setting's rejection, reported as the property it came from, with its
     * allowed range.
     */
    private static InvalidConfigurationPropertyValueException asProperty(InvalidLeaseSettingException ex) {
        String reason = ex.reason();
        for (Map.Entry<String, String> setting : LEASE_PROPERTIES.entrySet()) {
            reason = reason.replace(setting.getKey(), setting.getValue());
        }
        return new InvalidConfigurationPropertyValueException(
                LEASE_PROPERTIES.getOrDefault(ex.setting(), "idgen.zookeeper"), ex.value(), reason);
    }

    /**
     * The connect string for assignment "zookeeper" when this starter builds the client.
     */
    public String requiredConnectString() {
        String connectString = properties.getZookeeper().getConnectString();
        if (connectString == null || connectString.isBlank()) {
            throw new InvalidConfigurationPropertyValueException("idgen.zookeeper.connect-string", connectString,
                    "is required for idgen.worker.assignment=zookeeper (as host:port[,host:port...]), unless the"
                            + " application defines its own CuratorFramework bean");
        }
        return connectString.trim();
    }

    /**
     * Digest credentials for ZooKeeper, or empty when
     * {@code idgen.zookeeper.auth.username} and {@code password} are both unset. One
     * without the other fails, naming the missing one.
     */
    public Optional<AuthInfo> zooKeeperDigest() {
        IdGeneratorProperties.Auth auth = properties.getZookeeper().getAuth();
        String username = auth.getUsername();
        String password = auth.getPassword();
        boolean hasUsername = username != null && !username.isEmpty();
        if (!hasUsername && (password == null || password.isEmpty())) {
            return Optional.empty();
        }
        if (password == null || password.isEmpty()) {
            throw new InvalidConfigurationPropertyValueException("idgen.zookeeper.auth.password", null,
                    "is required when idgen.zookeeper.auth.username is set (digest authentication needs both)");
        }
        if (username == null || username.isEmpty() || username.indexOf(':') >= 0) {
            throw new InvalidConfigurationPropertyValueException("idgen.zookeeper.auth.username", username,
                    "is required when idgen.zookeeper.auth.password is set (digest authentication needs both),"
                            + " and must not contain ':'");
        }
        return Optional.of(ZooKeeperAcls.digest(username, password));
    }

    /**
     * Whether idgen's znodes are restricted to the nodes' identity: with digest
     * credentials, or with {@code idgen.zookeeper.auth.sasl}, which needs the JVM's JAAS
     * configuration.
     */
    public boolean zooKeeperAuthenticated() {
        boolean digest = zooKeeperDigest().isPresent();
        if (properties.getZookeeper().getAuth().isSasl()) {
            if (System.getProperty("java.security.auth.login.config") == null
                    || "false".equals(System.getProperty("zookeeper.sasl.client"))) {
                throw new InvalidConfigurationPropertyValueException("idgen.zookeeper.auth.sasl", true,
                        "needs ZooKeeper's SASL client configured in the JVM: -Djava.security.auth.login.config"
                                + " naming a JAAS file with a 'Client' section (or the section named by"
                                + " zookeeper.sasl.clientconfig), and zookeeper.sasl.client not false");
            }
            return true;
        }
        return digest;
    }

    /**
     * Puts {@code idgen.zookeeper.auth.*} onto a Curator client being built: digest
     * credentials and, with them or with SASL, the ACL that keeps idgen's znodes to this
     * identity ({@link ZooKeeperAcls#idgenNodesOnly()}). Nothing when authentication is
     * not configured. For the client the starter builds, and for one the application
     * builds for the lease to reuse (Spring Cloud Zookeeper's, through a
     * {@code CuratorFrameworkCustomizer}).
     */
    public void authenticate(CuratorFrameworkFactory.Builder builder) {
        zooKeeperDigest().ifPresent((digest) -> builder.authorization(List.of(digest)));
        if (zooKeeperAuthenticated()) {
            builder.aclProvider(ZooKeeperAcls.idgenNodesOnly());
        }
    }

    /** Checks the embedded server's port. */
    public int embeddedPort() {
        int port = properties.getZookeeper().getEmbedded().getPort();
        if (port < 0 || port > 65535) {
            throw new InvalidConfigurationPropertyValueException("idgen.zookeeper.embedded.port", port,
                    "must be between 0 and 65535 (0 picks any free port)");
        }
        return port;
    }

}
