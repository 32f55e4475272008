package dev.idgen.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.idgen.boot.health.IdGeneratorHealthIndicator;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.zookeeper.EmbeddedZooKeeper;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter as an application sees it: found through {@code AutoConfiguration.imports},
 * ordered against Spring Boot's own auto-configurations, failing with Boot's failure
 * analysis.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdGeneratorApplicationTests {

    @TempDir
    Path dataDir;

    @Test
    void anApplicationWithNoIdgenCodeGetsAGeneratorHealthAndMeters() {
        try (ConfigurableApplicationContext context = application()
            .properties("idgen.node-name=app-node", "idgen.worker.assignment=embedded",
                    "idgen.zookeeper.embedded.port=0", "idgen.zookeeper.embedded.data-dir=" + dataDir,
                    "idgen.worker.state-dir=" + dataDir.resolve("state"))
            .run()) {
            IdGenerator generator = context.getBean(IdGenerator.class);
            generator.nextIds(5);
            assertThat(context.getBean(MeterRegistry.class).get("ids.generated").counter().count()).isEqualTo(5);
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("idgen"))
                .isInstanceOf(IdGeneratorHealthIndicator.class);
            assertThat(context.getBean(IdGeneratorHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void anInvalidPropertyStopsStartUpWithAnAnalysisNamingIt(CapturedOutput output) {
        assertThatException().isThrownBy(
                () -> application().properties("idgen.worker.assignment=static", "idgen.worker.id=5000").run().close());
        assertThat(output).contains("idgen.worker.id", "must be between 0 and 1023");
    }

    @Test
    void withoutAnAssignmentStartUpFailsWithAnAnalysisListingTheChoices(CapturedOutput output) {
        assertThatException()
            .isThrownBy(() -> application().properties("idgen.node-name=app-node", "idgen.zookeeper.embedded.port=0")
                .run()
                .close());
        assertThat(output).contains("APPLICATION FAILED TO START", "idgen.worker.assignment is not set",
                "Set idgen.worker.assignment to one of:", "zookeeper", "static",
                "embedded   an in-process ZooKeeper:" + " ONE HOST ONLY");
    }

    @Test
    void embeddedAssignmentOnKubernetesFailsWithAnAnalysisNamingTheProperty(CapturedOutput output) {
        assertThatException()
            .isThrownBy(() -> application()
                .properties("idgen.worker.assignment=embedded", "spring.main.cloud-platform=kubernetes",
                        "idgen.zookeeper.embedded.port=0", "idgen.zookeeper.embedded.data-dir=" + dataDir)
                .run()
                .close());
        assertThat(output).contains("APPLICATION FAILED TO START",
                "idgen.worker.assignment is embedded, but the application runs on the cloud platform KUBERNETES",
                "Set idgen.worker.assignment to zookeeper");
    }

    @Test
    void everyInvalidPropertyIsReportedAtOnceWithItsValueAndAllowedRange(CapturedOutput output) {
        assertThatException().isThrownBy(
                () -> application()
                    .properties("idgen.node-name=app-node", "idgen.worker.assignment=zookeeper",
                            "idgen.zookeeper.connect-string=127.0.0.1:1", "idgen.layout.epoch=1960-01-01T00:00:00Z",
                            "idgen.worker.range=100-5000", "idgen.worker.startup-timeout=2h",
                            "idgen.clock.max-backward-wait=11s", "idgen.clock.ntp.servers=127.0.0.1:99999",
                            "idgen.zookeeper.session-timeout=1ms", "idgen.zookeeper.max-handover-wait=-1s")
                    .run()
                    .close());
        assertThat(output).contains("APPLICATION FAILED TO START", "7 idgen properties are invalid:",
                "idgen.layout.epoch = 1960-01-01T00:00:00Z", "must be a whole millisecond at or after 1970",
                "idgen.worker.range = 100-5000", "0 <= min <= max <= 1023", "idgen.worker.startup-timeout = PT2H",
                "must be between PT0S and PT1H", "idgen.clock.max-backward-wait = PT11S",
                "must be between PT0S and PT10S", "idgen.clock.ntp.servers = 127.0.0.1:99999",
                "\"host:port\" with a port between 1 and 65535", "idgen.zookeeper.session-timeout = PT0.001S",
                "idgen.zookeeper.max-handover-wait = PT-1S", "Change each property above to a value its line allows.");
        assertShortAnalysis(output);
    }

    @Test
    void aSecondEmbeddedNodeOnOneHostIsToldToJoinTheFirstsZooKeeper(CapturedOutput output) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatException().isThrownBy(() -> application()
                .properties("idgen.node-name=second-node", "idgen.worker.assignment=embedded",
                        "idgen.zookeeper.embedded.port=" + port, "idgen.worker.state-dir=" + dataDir.resolve("state"))
                .run()
                .close());
            assertThat(output).contains("APPLICATION FAILED TO START",
                    "The embedded ZooKeeper (idgen.worker.assignment=embedded) could not start: 127.0.0.1:" + port
                            + " is already in use, set by idgen.zookeeper.embedded.port=" + port,
                    "Join it instead:\n    idgen.worker.assignment=zookeeper\n    idgen.zookeeper.connect-string=127.0.0.1:"
                            + port,
                    "set idgen.zookeeper.embedded.port to a free port");
            assertShortAnalysis(output);
        }
    }

    @Test
    void aFullWorkerIdRangeAtStartUpNamesTheRangeAndWhatToDo(CapturedOutput output) {
        try (ConfigurableApplicationContext first = application()
            .properties("idgen.node-name=first-node", "idgen.worker.assignment=embedded",
                    "idgen.zookeeper.embedded.port=0", "idgen.worker.range=7",
                    "idgen.zookeeper.embedded.data-dir=" + dataDir.resolve("zk"),
                    "idgen.worker.state-dir=" + dataDir.resolve("first"))
            .run()) {
            String connectString = first.getBean(EmbeddedZooKeeper.class).connectString();
            assertThatException().isThrownBy(
                    () -> application()
                        .properties("idgen.node-name=second-node", "idgen.worker.assignment=zookeeper",
                                "idgen.zookeeper.connect-string=" + connectString, "idgen.worker.range=7",
                                "idgen.worker.state-dir=" + dataDir.resolve("second"))
                        .run()
                        .close());
        }
        assertThat(output).contains("APPLICATION FAILED TO START",
                "No worker id is free: every id of idgen.worker.range=7 is held by another live node",
                "Either stop a node that holds one of these ids", "or widen idgen.worker.range on every node");
        assertShortAnalysis(output);
    }

    /**
     * No analysis for an unreachable ZooKeeper: start-up does not fail. The node waits
     * idgen.worker.startup-timeout for a worker id, then runs NOT READY and claims one
     * once ZooKeeper answers.
     */
    @Test
    void anUnreachableZooKeeperAtStartUpLeavesTheNodeRunningNotReady(CapturedOutput output) throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            closedPort = probe.getLocalPort();
        }
        try (ConfigurableApplicationContext context = application()
            .properties("idgen.node-name=lonely-node", "idgen.worker.assignment=zookeeper",
                    "idgen.zookeeper.connect-string=127.0.0.1:" + closedPort, "idgen.worker.startup-timeout=1s",
                    "idgen.worker.state-dir=" + dataDir.resolve("state"))
            .run()) {
            assertThat(context.isRunning()).isTrue();
            assertThat(context.getBean(ManagedWorkerLease.class).snapshot().state()).isNotEqualTo(LeaseState.ACTIVE);
            assertThat(context.getBean(IdGeneratorHealthIndicator.class).health().getStatus()).isNotEqualTo(Status.UP);
        }
        assertThat(output).contains("No worker id within idgen.worker.startup-timeout (PT1S)")
            .doesNotContain("APPLICATION FAILED TO START");
    }

    /**
     * The analysis, not sixty lines of nested bean exceptions: no stack frames, no
     * "Application run failed".
     */
    private static void assertShortAnalysis(CapturedOutput output) {
        assertThat(output).doesNotContain("Application run failed");
        assertThat(output.toString().lines().filter((line) -> line.startsWith("\tat ")).count()).isZero();
    }

    private static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(EmptyApplication.class).web(WebApplicationType.NONE);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class EmptyApplication {

    }

}
