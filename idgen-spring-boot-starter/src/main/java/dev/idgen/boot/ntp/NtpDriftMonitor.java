package dev.idgen.boot.ntp;

import dev.idgen.core.clock.TimeSource;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.commons.net.ntp.NTPUDPClient;
import org.apache.commons.net.ntp.TimeInfo;

/**
 * Compares this node's clock with NTP servers at a fixed interval and keeps the last
 * result.
 *
 * <p>
 * It does not set the clock (that is the operating system's NTP daemon's job); it
 * measures how far the clock the generator uses is off, so that operators see drift
 * before it turns into a backwards step, and so that a node can stop issuing while its
 * clock is badly wrong. Checks run on one daemon thread; {@link #clockDrift()} is a
 * volatile read.
 */
public final class NtpDriftMonitor implements ClockDriftSource, Closeable {

    private static final Logger logger = LoggerFactory.getLogger(NtpDriftMonitor.class);

    private enum State {

        LATENT, STARTED, CLOSED

    }

    private final List<NtpServer> servers;

    private final Duration interval;

    private final Duration warnThreshold;

    private final Duration criticalThreshold;

    private final Duration requestTimeout;

    private final TimeSource time;

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

    private volatile ClockDrift measurement = ClockDrift.UNKNOWN;

    private volatile @Nullable ScheduledExecutorService scheduler;

    public NtpDriftMonitor(List<NtpServer> servers, Duration interval, Duration warnThreshold,
            Duration criticalThreshold, TimeSource time) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one NTP server is required");
        }
        this.servers = List.copyOf(servers);
        this.interval = Objects.requireNonNull(interval, "interval");
        this.warnThreshold = Objects.requireNonNull(warnThreshold, "warnThreshold");
        this.criticalThreshold = Objects.requireNonNull(criticalThreshold, "criticalThreshold");
        this.time = Objects.requireNonNull(time, "time");
        // An answer slower than this says more about the network than about the clock.
        this.requestTimeout = (interval.compareTo(Duration.ofSeconds(5)) < 0) ? interval : Duration.ofSeconds(5);
    }

    /**
     * Starts checking: the first check at once (in the background), then one every
     * interval.
     * @throws IllegalStateException if called more than once
     */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("Cannot be started more than once");
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "idgen-ntp-drift");
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler = executor;
        // checkQuietly catches its own failures: the future has nothing to say.
        Future<?> unused = executor.scheduleWithFixedDelay(this::checkQuietly, 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
        logger.info("Comparing the clock with NTP servers " + servers + " every " + interval + " (warn above "
                + warnThreshold + ", critical above " + criticalThreshold + ")");
    }

    @Override
    public ClockDrift clockDrift() {
        return measurement;
    }

    public List<NtpServer> servers() {
        return servers;
    }

    public Duration warnThreshold() {
        return warnThreshold;
    }

    public Duration criticalThreshold() {
        return criticalThreshold;
    }

    private void checkQuietly() {
        try {
            check();
        }
        catch (RuntimeException ex) {
            // Never let one failure cancel the schedule.
            logger.warn("NTP drift check failed", ex);
        }
    }

    /** Compares the clock with every server once, now, and records the result. */
    public ClockDrift check() {
        List<Long> offsets = new ArrayList<>();
        List<String> answered = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        try (NTPUDPClient client = new NTPUDPClient()) {
            client.setDefaultTimeout(requestTimeout);
            for (NtpServer server : servers) {
                try {
                    TimeInfo info = client.getTime(InetAddress.getByName(server.host()), server.port());
                    info.computeDetails();
                    Long offset = info.getOffset();
                    if (offset == null) {
                        failed.add(server + " (no offset in answer)");
                        continue;
                    }
                    offsets.add(offset - skewOfTimeSource());
                    answered.add(server.toString());
                }
                catch (IOException ex) {
                    failed.add(server + " (" + ex.getMessage() + ")");
                }
            }
        }
        ClockDrift result = judge(offsets, answered, failed);
        this.measurement = result;
        log(result);
        return result;
    }

    /**
     * How far the generator's clock is ahead of the system clock. {@link NTPUDPClient}
     * stamps its packets with the system clock, but what matters is the clock the
     * generator reads (which differs only when a fault drill sets an offset), so the
     * measured offset is corrected by this skew.
     */
    private long skewOfTimeSource() {
        return time.currentTimeMillis() - System.currentTimeMillis();
    }

    private ClockDrift judge(List<Long> offsets, List<String> answered, List<String> failed) {
        Instant now = Instant.ofEpochMilli(time.currentTimeMillis());
        if (offsets.isEmpty()) {
            return new ClockDrift(ClockDrift.Status.UNKNOWN, null, List.copyOf(answered), List.copyOf(failed), now);
        }
        // The median ignores one server that is itself wrong, as long as most are right.
        List<Long> sorted = offsets.stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        Duration offset = Duration.ofMillis(median);
        Duration drift = offset.abs();
        ClockDrift.Status status = (drift.compareTo(criticalThreshold) > 0) ? ClockDrift.Status.CRITICAL
                : (drift.compareTo(warnThreshold) > 0) ? ClockDrift.Status.WARN : ClockDrift.Status.OK;
        return new ClockDrift(status, offset, List.copyOf(answered), List.copyOf(failed), now);
    }

    private void log(ClockDrift result) {
        Duration offset = result.offset();
        if (offset == null) {
            logger.warn("No NTP server answered: " + result.failed());
            return;
        }
        switch (result.status()) {
            case CRITICAL ->
                logger.error("CRITICAL: clock differs from NTP by " + offset.toMillis() + " ms (critical above "
                        + criticalThreshold.toMillis() + " ms); check NTP synchronisation on " + "this host");
            case WARN -> logger.warn("Clock differs from NTP by " + offset.toMillis() + " ms (warn above "
                    + warnThreshold.toMillis() + " ms)");
            case UNKNOWN -> {
                // not reached: an UNKNOWN drift has no offset (ClockDrift)
            }
            case OK -> {
                if (logger.isDebugEnabled()) {
                    logger.debug("Clock differs from NTP by " + offset.toMillis() + " ms");
                }
            }
        }
    }

    /** Stops checking. Idempotent. */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            ScheduledExecutorService executor = scheduler;
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

}
