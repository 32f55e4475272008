package dev.idgen.boot.autoconfigure;

import dev.idgen.boot.autoconfigure.IdGeneratorProperties.Assignment;
import dev.idgen.boot.ntp.NtpServer;
import dev.idgen.core.IdLayout;
import dev.idgen.zookeeper.ZooKeeperLeaseSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * {@link IdGeneratorProperties} checked and turned into the values the beans need. Every
 * check names the property and the allowed range
 * ({@link InvalidConfigurationPropertyValueException}): an invalid setting is never
 * silently corrected, because a "fixed" worker id or layout could collide with another
 * node's ids.
 *
 * <p>
 * The constructor checks every property it can without side effects and reports all that
 * are invalid together, in one {@link InvalidIdgenPropertiesException}
 * ({@link InvalidIdgenPropertiesFailureAnalyzer} lists them), rather than one per
 * start-up attempt. Only {@code idgen.worker.state-dir} (checked by creating it) and a
 * node name taken from the host name are checked later, when a bean needs them.
 */
public final class IdGeneratorSettings {

    private static final Pattern RANGE = Pattern.compile("\\s*(\\d+)\\s*(?:-\\s*(\\d+)\\s*)?");

    private final IdGeneratorProperties properties;

    private final IdLayout layout;

    private final int minWorkerId;

    private final int maxWorkerId;

    private final IdGeneratorZooKeeperSettings zooKeeper;

    /**
     * Checks every property that can be checked now.
     * @throws InvalidIdgenPropertiesException listing every invalid property
     */
    public IdGeneratorSettings(IdGeneratorProperties properties) {
        this.properties = properties;
        List<InvalidConfigurationPropertyValueException> problems = new ArrayList<>();
        IdGeneratorProperties.Layout layoutProperties = properties.getLayout();
        IdLayout checkedLayout = layout(layoutProperties, problems);
        int workerIdBits = layoutProperties.getWorkerIdBits();
        int[] range = null;
        if (workerIdBits >= 0 && workerIdBits <= IdLayout.MAX_WORKER_ID_BITS) {
            range = collect(problems, () -> workerRange(properties.getWorker().getRange(), workerIdBits));
        }
        this.minWorkerId = (range != null) ? range[0] : 0;
        this.maxWorkerId = (range != null) ? range[1] : -1;
        this.zooKeeper = new IdGeneratorZooKeeperSettings(properties, this.minWorkerId, this.maxWorkerId,
                this::stateDir);
        checkWorker(properties.getWorker(), range != null, workerIdBits, problems);
        checkClock(properties.getClock(), problems);
        checkZooKeeper(problems);
        if (!problems.isEmpty()) {
            throw new InvalidIdgenPropertiesException(problems);
        }
        this.layout = Objects.requireNonNull(checkedLayout, "a layout is built when no layout property is rejected");
    }

    /**
     * Runs one check, adding what it rejects to {@code problems}; its result, or
     * {@code null} when rejected.
     */
    static <T> @Nullable T collect(List<InvalidConfigurationPropertyValueException> problems,
            Supplier<@Nullable T> check) {
        try {
            return check.get();
        }
        catch (InvalidConfigurationPropertyValueException ex) {
            problems.add(ex);
            return null;
        }
    }

    private static void collectRun(List<InvalidConfigurationPropertyValueException> problems, Runnable check) {
        collect(problems, () -> {
            check.run();
            return null;
        });
    }

    /**
     * The ZooKeeper properties, for assignments that lease from ZooKeeper: an explicitly
     * set node name here, everything else in {@link IdGeneratorZooKeeperSettings}.
     */
    private void checkZooKeeper(List<InvalidConfigurationPropertyValueException> problems) {
        Assignment assignment = properties.getWorker().getAssignment();
        if (assignment != Assignment.ZOOKEEPER && assignment != Assignment.EMBEDDED) {
            return;
        }
        String configuredName = properties.getNodeName();
        if (configuredName != null && !configuredName.isBlank()) {
            collect(problems, () -> nodeName(() -> null));
        }
        zooKeeper.check(assignment, problems);
    }

    /**
     * The ZooKeeper properties, checked: the lease's settings, the client's
     * authentication.
     */
    public IdGeneratorZooKeeperSettings zooKeeper() {
        return zooKeeper;
    }

    /** This node's name: as configured, or the host name. */
    public String nodeName(Supplier<@Nullable String> hostName) {
        String configured = properties.getNodeName();
        String name = (configured != null && !configured.isBlank()) ? configured.trim() : hostName.get();
        if (!ZooKeeperLeaseSettings.isValidNodeName(name)) {
            throw new InvalidConfigurationPropertyValueException("idgen.node-name", name,
                    "must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-', starting with a letter"
                            + " or digit" + ((configured == null) ? " (it defaults to the host name; set it"
                                    + " explicitly when the host name does not fit)" : ""));
        }
        return name;
    }

    public IdLayout layout() {
        return layout;
    }

    /** Lowest worker id this node may claim. */
    public int minWorkerId() {
        return minWorkerId;
    }

    /** Highest worker id this node may claim. */
    public int maxWorkerId() {
        return maxWorkerId;
    }

    /** Worker id for static assignment. */
    public int staticWorkerId() {
        return Objects.requireNonNull(properties.getWorker().getId(),
                "idgen.worker.id, which the constructor requires for static assignment");
    }

    /**
     * The directory of this node's durable reservation floor
     * ({@code idgen.worker.state-dir}, by default {@code ~/.idgen/state}), created if
     * missing and checked writable: the one place it is validated.
     */
    public Path stateDir() {
        Path configured = properties.getWorker().getStateDir();
        Path dir = (configured != null) ? configured : Path.of(System.getProperty("user.home"), ".idgen", "state");
        String reason = "must be a writable directory (created if missing) that survives restarts"
                + ((configured == null) ? "; the default is .idgen/state under user.home, set the property when"
                        + " that is not writable" : "");
        try {
            Files.createDirectories(dir);
        }
        catch (IOException | SecurityException ex) {
            throw new InvalidConfigurationPropertyValueException("idgen.worker.state-dir", dir,
                    reason + " (" + ex + ")");
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new InvalidConfigurationPropertyValueException("idgen.worker.state-dir", dir, reason);
        }
        return dir.toAbsolutePath();
    }

    /**
     * The layout, or {@code null} when a layout property is invalid (each one added to
     * {@code problems}).
     */
    private static @Nullable IdLayout layout(IdGeneratorProperties.Layout p,
            List<InvalidConfigurationPropertyValueException> problems) {
        int before = problems.size();
        collectRun(problems,
                () -> checkInt("idgen.layout.timestamp-bits", p.getTimestampBits(), 1, IdLayout.TOTAL_BITS));
        collectRun(problems,
                () -> checkInt("idgen.layout.worker-id-bits", p.getWorkerIdBits(), 0, IdLayout.MAX_WORKER_ID_BITS));
        collectRun(problems,
                () -> checkInt("idgen.layout.sequence-bits", p.getSequenceBits(), 0, IdLayout.MAX_SEQUENCE_BITS));
        if (problems.size() == before) {
            collectRun(problems, () -> checkBitSum(p));
        }
        collectRun(problems, () -> checkEpoch(p.getEpoch()));
        if (problems.size() != before) {
            return null;
        }
        return collect(problems, () -> layoutOf(p));
    }

    private static void checkBitSum(IdGeneratorProperties.Layout p) {
        int sum = p.getTimestampBits() + p.getWorkerIdBits() + p.getSequenceBits();
        if (sum != IdLayout.TOTAL_BITS) {
            throw new InvalidConfigurationPropertyValueException("idgen.layout.timestamp-bits", p.getTimestampBits(),
                    "idgen.layout.timestamp-bits + idgen.layout.worker-id-bits + "
                            + "idgen.layout.sequence-bits must add up to " + IdLayout.TOTAL_BITS
                            + " (so every id is a positive long), but " + p.getTimestampBits() + " + "
                            + p.getWorkerIdBits() + " + " + p.getSequenceBits() + " = " + sum);
        }
    }

    private static void checkEpoch(Instant epoch) {
        if (epoch == null || !epoch.truncatedTo(ChronoUnit.MILLIS).equals(epoch) || epoch.isBefore(Instant.EPOCH)) {
            throw new InvalidConfigurationPropertyValueException("idgen.layout.epoch", epoch,
                    "must be a whole millisecond at or after 1970-01-01T00:00:00Z");
        }
    }

    private static IdLayout layoutOf(IdGeneratorProperties.Layout p) {
        Instant epoch = p.getEpoch();
        try {
            return IdLayout.of(epoch, p.getTimestampBits(), p.getWorkerIdBits(), p.getSequenceBits());
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidConfigurationPropertyValueException("idgen.layout.epoch", epoch, ex.getMessage());
        }
    }

    private static int[] workerRange(@Nullable String range, int workerIdBits) {
        int max = (1 << workerIdBits) - 1;
        if (range == null || range.isBlank()) {
            return new int[] { 0, max };
        }
        String allowed = "must be \"min-max\" (or a single id) with 0 <= min <= max <= " + max
                + " for idgen.layout.worker-id-bits=" + workerIdBits;
        Matcher m = RANGE.matcher(range);
        if (!m.matches()) {
            throw new InvalidConfigurationPropertyValueException("idgen.worker.range", range, allowed);
        }
        long low;
        long high;
        try {
            low = Long.parseLong(m.group(1));
            high = (m.group(2) != null) ? Long.parseLong(m.group(2)) : low;
        }
        catch (NumberFormatException ex) {
            throw new InvalidConfigurationPropertyValueException("idgen.worker.range", range, allowed);
        }
        if (low > high || high > max) {
            throw new InvalidConfigurationPropertyValueException("idgen.worker.range", range, allowed);
        }
        return new int[] { (int) low, (int) high };
    }

    private void checkWorker(IdGeneratorProperties.Worker worker, boolean rangeValid, int workerIdBits,
            List<InvalidConfigurationPropertyValueException> problems) {
        collectRun(problems, () -> checkDuration("idgen.worker.startup-timeout", worker.getStartupTimeout(),
                Duration.ZERO, Duration.ofHours(1)));
        if (worker.getAssignment() != Assignment.STATIC) {
            return;
        }
        Integer id = worker.getId();
        if (id == null) {
            problems.add(new InvalidConfigurationPropertyValueException("idgen.worker.id", null,
                    "is required for idgen.worker.assignment=static: a worker id "
                            + (rangeValid ? "between " + minWorkerId + " and " + maxWorkerId + " " : "")
                            + "that no other node uses"));
        }
        else if (rangeValid && (id < minWorkerId || id > maxWorkerId)) {
            problems.add(new InvalidConfigurationPropertyValueException("idgen.worker.id", id,
                    "must be between " + minWorkerId + " and " + maxWorkerId + " (idgen.worker.range, within " + "0 to "
                            + ((1 << workerIdBits) - 1) + " for idgen.layout.worker-id-bits=" + workerIdBits + ")"));
        }
    }

    private static void checkClock(IdGeneratorProperties.Clock clock,
            List<InvalidConfigurationPropertyValueException> problems) {
        if (clock.getPolicy() == null) {
            problems.add(new InvalidConfigurationPropertyValueException("idgen.clock.policy", null,
                    "must be wait or borrow"));
        }
        collectRun(problems, () -> checkDuration("idgen.clock.max-backward-wait", clock.getMaxBackwardWait(),
                Duration.ZERO, Duration.ofSeconds(10)));
        collectRun(problems, () -> checkDuration("idgen.clock.max-borrow", clock.getMaxBorrow(), Duration.ZERO,
                Duration.ofHours(1)));
        Duration offset = clock.getOffset();
        if (offset == null || offset.abs().compareTo(Duration.ofHours(1)) > 0) {
            problems.add(new InvalidConfigurationPropertyValueException("idgen.clock.offset", offset,
                    "must be between -1h and 1h (a skew for tests and fault drills only)"));
        }
        IdGeneratorProperties.Ntp ntp = clock.getNtp();
        collectRun(problems, () -> checkDuration("idgen.clock.ntp.interval", ntp.getInterval(), Duration.ofSeconds(1),
                Duration.ofDays(1)));
        int before = problems.size();
        collectRun(problems, () -> checkDuration("idgen.clock.ntp.warn-threshold", ntp.getWarnThreshold(),
                Duration.ZERO, Duration.ofHours(1)));
        if (problems.size() == before) {
            collectRun(problems, () -> checkDuration("idgen.clock.ntp.critical-threshold", ntp.getCriticalThreshold(),
                    ntp.getWarnThreshold(), Duration.ofHours(1)));
        }
        for (String value : ntp.getServers()) {
            collect(problems, () -> ntpServer(value));
        }
    }

    /** NTP servers to compare the clock with; empty when drift monitoring is off. */
    public List<NtpServer> ntpServers() {
        List<NtpServer> servers = new ArrayList<>();
        for (String value : properties.getClock().getNtp().getServers()) {
            servers.add(ntpServer(value));
        }
        return List.copyOf(servers);
    }

    /** Parses "host" or "host:port" (IPv6 as "[addr]:port"). */
    private static NtpServer ntpServer(String value) {
        String reason = "each entry must be \"host\" or \"host:port\" with a port between 1 and 65535";
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationPropertyValueException("idgen.clock.ntp.servers", value, reason);
        }
        String v = value.trim();
        String host = v;
        int port = NtpServer.DEFAULT_PORT;
        int colon = v.lastIndexOf(':');
        boolean bracketed = v.startsWith("[");
        if (colon > 0 && (bracketed ? v.indexOf(']') < colon : v.indexOf(':') == colon)) {
            host = v.substring(0, colon);
            try {
                port = Integer.parseInt(v.substring(colon + 1));
            }
            catch (NumberFormatException ex) {
                throw new InvalidConfigurationPropertyValueException("idgen.clock.ntp.servers", value, reason);
            }
        }
        if (bracketed && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new InvalidConfigurationPropertyValueException("idgen.clock.ntp.servers", value, reason);
        }
        return new NtpServer(host, port);
    }

    private static void checkInt(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidConfigurationPropertyValueException(name, value, "must be between " + min + " and " + max);
        }
    }

    private static void checkDuration(String name, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidConfigurationPropertyValueException(name, value, "must be between " + min + " and " + max);
        }
    }

}
