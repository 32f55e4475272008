package dev.idgen.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idgen.boot.autoconfigure.IdGeneratorAutoConfiguration;
import dev.idgen.boot.health.IdGeneratorHealthIndicator;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.boot.ntp.LoopbackNtpServerAccess;
import dev.idgen.boot.ntp.NtpDriftMonitor;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class IdGeneratorHealthContributorAutoConfigurationTests {

    @TempDir
    static Path stateDir;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IdGeneratorAutoConfiguration.class,
                IdGeneratorHealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class))
        .withPropertyValues("idgen.node-name=health-node", "idgen.zookeeper.embedded.port=0",
                "idgen.worker.state-dir=" + stateDir.resolve("state"));

    @Test
    void anActiveLeaseIsUpWithItsDetails() {
        contextRunner.withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=12").run((context) -> {
            assertThat(context).hasBean("idgenHealthIndicator");
            Health health = context.getBean("idgenHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("workerId", 12)
                .containsEntry("assignment", "static")
                .containsEntry("nodeName", "health-node")
                .containsEntry("leaseState", "ACTIVE")
                .containsEntry("timeLeft", "unbounded")
                .containsKey("clockDrift");
            assertThat(map(health.getDetails().get("clockDrift"))).containsEntry("ntp", "off");
        });
    }

    @Test
    void isRegisteredUnderTheNameIdgen() {
        contextRunner.withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=12").run((context) -> {
            HealthContributor contributor = context.getBean(HealthContributorRegistry.class).getContributor("idgen");
            assertThat(contributor).isSameAs(context.getBean(IdGeneratorHealthIndicator.class));
        });
    }

    @Test
    void anEmbeddedLeaseIsUpWithItsTimeLeftAndReservation() {
        contextRunner.withPropertyValues("idgen.worker.assignment=embedded").run((context) -> {
            Health health = context.getBean(IdGeneratorHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("assignment", "embedded").containsKey("reservedUntil");
            assertThat(Duration.parse((String) health.getDetails().get("timeLeft"))).isPositive();
        });
    }

    @Test
    void aLeaseStillBeingClaimedIsOutOfService() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        contextRunner
            .withPropertyValues("idgen.worker.assignment=zookeeper",
                    "idgen.zookeeper.connect-string=127.0.0.1:" + closedPort, "idgen.worker.startup-timeout=100ms")
            .run((context) -> {
                Health health = context.getBean(IdGeneratorHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                assertThat(health.getDetails()).containsEntry("leaseState", "ACQUIRING").containsEntry("workerId", -1);
            });
    }

    @Test
    void aClosedLeaseIsNotUp() {
        contextRunner.withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=12").run((context) -> {
            context.getBean(ManagedWorkerLease.class).close();
            Health health = context.getBean(IdGeneratorHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(health.getDetails()).containsEntry("leaseState", "CLOSED");
        });
    }

    @Test
    void aCriticalNtpDriftIsDownAndShowsTheOffset() throws Exception {
        try (LoopbackNtpServerAccess ntp = new LoopbackNtpServerAccess(Duration.ofMillis(-400))) {
            contextRunner
                .withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=12",
                        "idgen.clock.ntp.servers=" + ntp.address())
                .run((context) -> {
                    await().atMost(Duration.ofSeconds(10)).until(context.getBean(NtpDriftMonitor.class)::isCritical);
                    Health health = context.getBean(IdGeneratorHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    Map<String, Object> ntpDetails = map(map(health.getDetails().get("clockDrift")).get("ntp"));
                    assertThat(ntpDetails.get("status")).isEqualTo("CRITICAL");
                    assertThat((Long) ntpDetails.get("offsetMillis")).isBetween(-450L, -350L);
                    ntp.setOffset(Duration.ZERO);
                    context.getBean(NtpDriftMonitor.class).check();
                    assertThat(context.getBean(IdGeneratorHealthIndicator.class).health().getStatus())
                        .isEqualTo(Status.UP);
                });
        }
    }

    @Test
    void backsOffWhenDisabled() {
        contextRunner
            .withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=12",
                    "management.health.idgen.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(IdGeneratorHealthIndicator.class));
    }

    @Test
    void backsOffWithoutSpringBootHealth() {
        // The whole module hidden, as in an application without it (the condition
        // annotation included).
        contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
            .withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=12")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(IdGeneratorHealthIndicator.class);
            });
    }

    @Test
    void aUserIndicatorOfTheSameNameWins() {
        HealthIndicator mine = () -> Health.up().build();
        contextRunner.withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=12")
            .withBean("idgenHealthIndicator", HealthIndicator.class, () -> mine)
            .run((context) -> assertThat(context).getBean("idgenHealthIndicator").isSameAs(mine));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

}
