package dev.idgen.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ZooKeeperLeaseSettingsTests {

    @Test
    void defaultsFollowTheDesign() {
        ZooKeeperLeaseSettings settings = ZooKeeperLeaseSettings.defaults("node-1");

        assertThat(settings.rootPath()).isEqualTo("/idgen");
        assertThat(settings.assignment()).isEqualTo("zookeeper");
        assertThat(settings.minWorkerId()).isZero();
        assertThat(settings.maxWorkerId()).isEqualTo(1023);
        assertThat(settings.sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.safetyMargin()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.peerClockWarn()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.peerClockLimit()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.reservationLead()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.host()).isNull();
        assertThat(settings.port()).isZero();
    }

    @Test
    void toBuilderKeepsEveryValue() {
        ZooKeeperLeaseSettings settings = ZooKeeperLeaseSettings.builder("eu-1")
            .rootPath("/ids/eu")
            .assignment("embedded")
            .workerIdRange(100, 199)
            .sessionTimeout(Duration.ofSeconds(20))
            .heartbeatInterval(Duration.ofSeconds(5))
            .safetyMargin(Duration.ofSeconds(1))
            .peerClockWarn(Duration.ofMillis(50))
            .peerClockLimit(Duration.ofMillis(500))
            .endpoint("10.0.0.5", 8080)
            .build();

        assertThat(settings.toBuilder().build()).isEqualTo(settings);
    }

    @Test
    void anInvalidRangeIsRejectedNamingTheRange() {
        assertThatExceptionOfType(InvalidLeaseSettingException.class)
            .isThrownBy(() -> ZooKeeperLeaseSettings.builder("n").workerIdRange(200, 100).build())
            .satisfies(ex -> assertThat(ex.setting()).isEqualTo("workerIdRange"));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ZooKeeperLeaseSettings.builder("n").workerIdRange(200, 100).build())
            .withMessageContaining("minWorkerId")
            .withMessageContaining("200 to 100");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ZooKeeperLeaseSettings.builder("n").workerIdRange(-1, 5).build())
            .withMessageContaining("0 <= minWorkerId");
    }

    @Test
    void aHeartbeatThatCannotFitTwiceIntoTheFencedSessionIsRejected() {
        // 30 s session - 2 s margin = 28 s: at most one heartbeat per 14 s.
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ZooKeeperLeaseSettings.builder("n").heartbeatInterval(Duration.ofSeconds(15)).build())
            .withMessageContaining("heartbeatInterval")
            .withMessageContaining("PT14S");
    }

    @Test
    void badNamesPathsAndLimitsAreRejectedNamingTheSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> ZooKeeperLeaseSettings.defaults("a/b"))
            .withMessageContaining("nodeName");
        assertThatIllegalArgumentException().isThrownBy(() -> ZooKeeperLeaseSettings.defaults(""))
            .withMessageContaining("nodeName");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ZooKeeperLeaseSettings.builder("n").rootPath("idgen").build())
            .withMessageContaining("rootPath");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ZooKeeperLeaseSettings.builder("n").rootPath("/zookeeper/x").build())
            .withMessageContaining("rootPath");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ZooKeeperLeaseSettings.builder("n").assignment("static").build())
            .withMessageContaining("assignment");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ZooKeeperLeaseSettings.builder("n").peerClockLimit(Duration.ofMillis(50)).build())
            .withMessageContaining("peerClockLimit");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ZooKeeperLeaseSettings.builder("n").safetyMargin(Duration.ofSeconds(16)).build())
            .withMessageContaining("safetyMargin");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ZooKeeperLeaseSettings.builder("n").endpoint("h", 70000).build())
            .withMessageContaining("port");
    }

}
