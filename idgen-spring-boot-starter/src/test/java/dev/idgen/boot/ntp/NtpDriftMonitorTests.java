package dev.idgen.boot.ntp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

import dev.idgen.core.clock.TimeSource;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NtpDriftMonitorTests {

    private static final Duration WARN = Duration.ofMillis(10);

    private static final Duration CRITICAL = Duration.ofMillis(50);

    @Test
    void aServerAheadByMoreThanTheCriticalThresholdIsReportedCritical() throws Exception {
        try (LoopbackNtpServer ntp = new LoopbackNtpServer(Duration.ofMillis(400))) {
            NtpDriftMonitor monitor = monitor(List.of(ntp.server()), TimeSource.system());
            ClockDrift drift = monitor.check();
            assertThat(drift.status()).isEqualTo(ClockDrift.Status.CRITICAL);
            // NTP time minus our clock: the server is ahead, so the offset is positive.
            assertThat(drift.offset().toMillis()).isCloseTo(400, within(40L));
            assertThat(drift.driftMillis()).isCloseTo(400, within(40.0));
            assertThat(drift.answered()).containsExactly(ntp.server().toString());
            assertThat(monitor.isCritical()).isTrue();
            assertThat(monitor.clockDrift()).isSameAs(drift);
        }
    }

    @Test
    void anAgreeingServerIsReportedOk() throws Exception {
        try (LoopbackNtpServer ntp = new LoopbackNtpServer(Duration.ZERO)) {
            ClockDrift drift = monitor(List.of(ntp.server()), TimeSource.system()).check();
            assertThat(drift.status()).isEqualTo(ClockDrift.Status.OK);
            assertThat(Math.abs(drift.offset().toMillis())).isLessThanOrEqualTo(WARN.toMillis());
        }
    }

    @Test
    void aDriftBetweenTheThresholdsIsAWarning() throws Exception {
        try (LoopbackNtpServer ntp = new LoopbackNtpServer(Duration.ofMillis(-30))) {
            ClockDrift drift = monitor(List.of(ntp.server()), TimeSource.system()).check();
            assertThat(drift.offset().toMillis()).isCloseTo(-30, within(15L));
            assertThat(drift.status()).isEqualTo(ClockDrift.Status.WARN);
        }
    }

    @Test
    void theDriftIsMeasuredOnTheGeneratorsClockIncludingAFaultDrillOffset() throws Exception {
        try (LoopbackNtpServer ntp = new LoopbackNtpServer(Duration.ZERO)) {
            ClockDrift drift = monitor(List.of(ntp.server()), TimeSource.systemWithOffset(-300)).check();
            // Our clock is 300 ms behind, so NTP time minus our clock is +300 ms.
            assertThat(drift.offset().toMillis()).isCloseTo(300, within(40L));
            assertThat(drift.status()).isEqualTo(ClockDrift.Status.CRITICAL);
        }
    }

    @Test
    void theMedianOfSeveralServersIgnoresOneWrongServer() throws Exception {
        try (LoopbackNtpServer good1 = new LoopbackNtpServer(Duration.ZERO);
                LoopbackNtpServer good2 = new LoopbackNtpServer(Duration.ZERO);
                LoopbackNtpServer wrong = new LoopbackNtpServer(Duration.ofSeconds(5))) {
            ClockDrift drift = monitor(List.of(good1.server(), wrong.server(), good2.server()), TimeSource.system())
                .check();
            assertThat(drift.answered()).hasSize(3);
            assertThat(drift.status()).isEqualTo(ClockDrift.Status.OK);
        }
    }

    @Test
    void noAnswerLeavesTheDriftUnknownRatherThanCritical() throws Exception {
        // A bound socket that never answers: the request times out.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            NtpServer server = new NtpServer("127.0.0.1", silent.getLocalPort());
            NtpDriftMonitor monitor = new NtpDriftMonitor(List.of(server), Duration.ofMillis(300), WARN, CRITICAL,
                    TimeSource.system());
            ClockDrift drift = monitor.check();
            assertThat(drift.status()).isEqualTo(ClockDrift.Status.UNKNOWN);
            assertThat(drift.offset()).isNull();
            assertThat(drift.driftMillis()).isNaN();
            assertThat(drift.failed()).singleElement().asString().startsWith(server.toString());
            assertThat(monitor.isCritical()).isFalse();
        }
    }

    @Test
    void cannotBeStartedTwice() throws Exception {
        try (LoopbackNtpServer ntp = new LoopbackNtpServer(Duration.ZERO)) {
            NtpDriftMonitor monitor = monitor(List.of(ntp.server()), TimeSource.system());
            try {
                monitor.start();
                assertThatIllegalStateException().isThrownBy(monitor::start);
            }
            finally {
                monitor.close();
            }
        }
    }

    private static NtpDriftMonitor monitor(List<NtpServer> servers, TimeSource time) {
        return new NtpDriftMonitor(servers, Duration.ofMinutes(5), WARN, CRITICAL, time);
    }

}
