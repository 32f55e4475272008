package dev.idgen.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.boot.lease.StaticWorkerLease;
import dev.idgen.core.lease.WorkerIdUnavailableException;
import dev.idgen.boot.ntp.NtpDriftMonitor;
import dev.idgen.zookeeper.EmbeddedZooKeeper;
import dev.idgen.zookeeper.ZooKeeperWorkerLease;
import dev.idgen.core.ClockBackwardsPolicy;
import dev.idgen.core.IdGenerationException;
import dev.idgen.core.IdGenerationListener;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.LeaseExpiredException;
import dev.idgen.core.clock.ManualTimeSource;
import dev.idgen.core.clock.TimeSource;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.net.ntp.NTPUDPClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

class IdGeneratorAutoConfigurationTests {

    private static TestingServer zookeeper;

    @TempDir
    static Path tempDir;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IdGeneratorAutoConfiguration.class))
        .withPropertyValues("idgen.node-name=test-node", "idgen.zookeeper.embedded.port=0",
                // A node's own floor, new for every test: one test's reservations must
                // not hold up another's.
                "idgen.worker.state-dir=" + tempDir.resolve("state-" + UUID.randomUUID()));

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = new TestingServer(true);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zookeeper.close();
    }

    @Test
    void withoutAnAssignmentStartUpFailsRatherThanGuessOne() {
        contextRunner.run((context) -> {
            assertThat(context).hasFailed();
            assertThat(findCause(context.getStartupFailure(), WorkerAssignmentException.class))
                .satisfies((refused) -> assertThat(refused.cloudPlatform()).isNull());
            assertThat(context.getStartupFailure())
                .hasRootCauseMessage("idgen.worker.assignment is not set; it must be zookeeper, static or embedded");
        });
    }

    @Test
    void embeddedAssignmentIsRefusedOnACloudPlatformBeforeAnyServerStarts() {
        contextRunner
            .withPropertyValues("idgen.worker.assignment=embedded", "spring.main.cloud-platform=kubernetes",
                    "idgen.zookeeper.embedded.data-dir=" + tempDir.resolve("cloud"))
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(findCause(context.getStartupFailure(), WorkerAssignmentException.class))
                    .satisfies((refused) -> assertThat(refused.cloudPlatform()).isEqualTo(CloudPlatform.KUBERNETES));
                assertThat(tempDir.resolve("cloud")).doesNotExist();
            });
    }

    @Test
    void explicitEmbeddedAssignmentLeasesAWorkerIdFromAnEmbeddedZooKeeperAndIssuesIds() {
        embedded().withPropertyValues("idgen.zookeeper.embedded.data-dir=" + tempDir.resolve("defaults"))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(EmbeddedZooKeeper.class);
                assertThat(context).hasSingleBean(CuratorFramework.class);
                assertThat(context).getBean(ManagedWorkerLease.class).isInstanceOf(ZooKeeperWorkerLease.class);
                EmbeddedZooKeeper server = context.getBean(EmbeddedZooKeeper.class);
                assertThat(server.port()).isPositive();
                assertThat(context.getBean(CuratorFramework.class).getZookeeperClient().getCurrentConnectionString())
                    .isEqualTo(server.connectString());
                ManagedWorkerLease lease = context.getBean(ManagedWorkerLease.class);
                assertThat(lease.snapshot().state()).isEqualTo(LeaseState.ACTIVE);
                assertThat(lease.snapshot().assignment()).isEqualTo("embedded");
                assertThat(lease.snapshot().nodeName()).isEqualTo("test-node");
                IdGenerator generator = context.getBean(IdGenerator.class);
                long first = generator.nextId();
                long second = generator.nextId();
                assertThat(second).isGreaterThan(first);
                assertThat(generator.parse(first).workerId()).isEqualTo(lease.snapshot().workerId());
            });
    }

    @Test
    void theEmbeddedServerKeepsItsDataBesideTheStateDirNotInTheTemporaryFolder() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path stateDir = tempDir.resolve("embedded-state");
        embedded().withPropertyValues("idgen.zookeeper.embedded.port=" + port, "idgen.worker.state-dir=" + stateDir)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(EmbeddedZooKeeper.class).dataDir())
                    .isEqualTo(stateDir.toAbsolutePath().resolve("zookeeper").resolve(Integer.toString(port)));
            });
    }

    @Test
    void theWorkerIdIsReleasedBeforeTheEmbeddedServerStopsAndReservationsSurviveARestart() {
        ApplicationContextRunner embedded = embedded().withPropertyValues(
                "idgen.zookeeper.embedded.data-dir=" + tempDir.resolve("restart"), "idgen.worker.range=3");
        embedded.withPropertyValues("idgen.node-name=first").run((first) -> {
            assertThat(first.getBean(ManagedWorkerLease.class).snapshot().workerId()).isEqualTo(3);
        });
        // Had the server stopped before the lease let go, the old claim would still hold
        // the only id of
        // the range for a whole session timeout, and this start-up would fail with the
        // range full.
        embedded.withPropertyValues("idgen.node-name=second", "idgen.worker.state-dir=" + tempDir.resolve("second"))
            .run((second) -> {
                assertThat(second).hasNotFailed();
                ManagedWorkerLease lease = second.getBean(ManagedWorkerLease.class);
                assertThat(lease.snapshot().state()).isEqualTo(LeaseState.ACTIVE);
                assertThat(lease.snapshot().workerId()).isEqualTo(3);
                // The first holder's reservation survived the restart: the second node
                // knows who held it.
                assertThat(lease.holderOf(3))
                    .hasValueSatisfying((holder) -> assertThat(holder.nodeName()).isEqualTo("second"));
            });
    }

    @Test
    void zookeeperAssignmentLeasesFromTheConfiguredEnsembleWithinTheRange() {
        contextRunner
            .withPropertyValues("idgen.worker.assignment=zookeeper",
                    "idgen.zookeeper.connect-string=" + zookeeper.getConnectString(),
                    "idgen.zookeeper.root-path=/ranged", "idgen.worker.range=100-199")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(EmbeddedZooKeeper.class);
                ManagedWorkerLease lease = context.getBean(ManagedWorkerLease.class);
                assertThat(lease.snapshot().assignment()).isEqualTo("zookeeper");
                assertThat(lease.snapshot().state()).isEqualTo(LeaseState.ACTIVE);
                assertThat(lease.snapshot().workerId()).isBetween(100, 199);
                long id = context.getBean(IdGenerator.class).nextId();
                assertThat(context.getBean(IdGenerator.class).parse(id).workerId()).isBetween(100, 199);
            });
    }

    @Test
    void staticAssignmentUsesTheConfiguredWorkerIdWithoutZooKeeper() {
        contextRunner.withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=7").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(CuratorFramework.class);
            assertThat(context).doesNotHaveBean(EmbeddedZooKeeper.class);
            assertThat(context).getBean(ManagedWorkerLease.class).isInstanceOf(StaticWorkerLease.class);
            IdGenerator generator = context.getBean(IdGenerator.class);
            assertThat(generator.parse(generator.nextId()).workerId()).isEqualTo(7);
        });
    }

    @Test
    void staticAssignmentWorksWithoutCuratorOnTheClassPath() {
        contextRunner.withClassLoader(new FilteredClassLoader(CuratorFramework.class))
            .withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=3")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(IdGenerator.class)
                    .parse(context.getBean(IdGenerator.class).nextId())
                    .workerId()).isEqualTo(3);
            });
    }

    @Test
    void everyAutoConfigurationIsListedForSpringBoot() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
            .contains(IdGeneratorAutoConfiguration.class.getName(),
                    "dev.idgen.boot.autoconfigure.health.IdGeneratorHealthContributorAutoConfiguration",
                    "dev.idgen.boot.autoconfigure.info.IdGeneratorInfoContributorAutoConfiguration",
                    "dev.idgen.boot.autoconfigure.metrics.IdGeneratorMetricsAutoConfiguration");
    }

    @Test
    void backsOffWithoutTheCore() {
        contextRunner.withClassLoader(new FilteredClassLoader(IdGenerator.class))
            .run((context) -> assertThat(context).doesNotHaveBean(IdGeneratorSettings.class));
    }

    @Test
    void layoutPropertiesShapeTheIds() {
        contextRunner
            .withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=20",
                    "idgen.layout.timestamp-bits=42", "idgen.layout.worker-id-bits=5", "idgen.layout.sequence-bits=16",
                    "idgen.layout.epoch=2024-01-01T00:00:00Z")
            .run((context) -> {
                IdGenerator generator = context.getBean(IdGenerator.class);
                assertThat(generator.layout().workerIdBits()).isEqualTo(5);
                assertThat(generator.layout().sequenceBits()).isEqualTo(16);
                assertThat(generator.layout().epoch()).hasToString("2024-01-01T00:00:00Z");
                assertThat(generator.parse(generator.nextId()).workerId()).isEqualTo(20);
            });
    }

    @Test
    void bitsThatDoNotAddUpTo63StopStartUpNamingTheProperties() {
        assertInvalid("idgen.layout.timestamp-bits", "must add up to 63", "idgen.worker.assignment=static",
                "idgen.worker.id=1", "idgen.layout.timestamp-bits=40");
    }

    @Test
    void aBitWidthOutsideItsRangeStopsStartUp() {
        assertInvalid("idgen.layout.worker-id-bits", "must be between 0 and 31", "idgen.worker.assignment=static",
                "idgen.worker.id=1", "idgen.layout.worker-id-bits=32");
    }

    @Test
    void aStaticWorkerIdOutsideTheLayoutStopsStartUpNamingTheRange() {
        assertInvalid("idgen.worker.id", "must be between 0 and 1023", "idgen.worker.assignment=static",
                "idgen.worker.id=1024");
    }

    @Test
    void staticAssignmentWithoutAWorkerIdStopsStartUp() {
        assertInvalid("idgen.worker.id", "is required for idgen.worker.assignment=static",
                "idgen.worker.assignment=static");
    }

    @Test
    void aMalformedRangeStopsStartUp() {
        assertInvalid("idgen.worker.range", "\"min-max\"", "idgen.worker.assignment=zookeeper",
                "idgen.zookeeper.connect-string=" + zookeeper.getConnectString(), "idgen.worker.range=ten-twenty");
    }

    @Test
    void aRangeOutsideTheLayoutStopsStartUpNamingTheLargestId() {
        assertInvalid("idgen.worker.range", "max <= 1023", "idgen.worker.assignment=zookeeper",
                "idgen.zookeeper.connect-string=" + zookeeper.getConnectString(), "idgen.worker.range=1000-1100");
    }

    @Test
    void anInvertedRangeStopsStartUp() {
        assertInvalid("idgen.worker.range", "min <= max", "idgen.worker.assignment=static", "idgen.worker.id=1",
                "idgen.worker.range=20-10");
    }

    @Test
    void aStaticWorkerIdOutsideTheRangeStopsStartUp() {
        assertInvalid("idgen.worker.id", "must be between 100 and 199", "idgen.worker.assignment=static",
                "idgen.worker.id=5", "idgen.worker.range=100-199");
    }

    @Test
    void zookeeperAssignmentWithoutAConnectStringStopsStartUp() {
        assertInvalid("idgen.zookeeper.connect-string", "is required for idgen.worker.assignment=zookeeper",
                "idgen.worker.assignment=zookeeper");
    }

    @Test
    void aHeartbeatThatDoesNotFitTheSessionStopsStartUp() {
        assertInvalid("idgen.zookeeper.heartbeat-interval", "(idgen.zookeeper.session-timeout",
                "idgen.worker.assignment=zookeeper", "idgen.zookeeper.connect-string=" + zookeeper.getConnectString(),
                "idgen.zookeeper.session-timeout=10s", "idgen.zookeeper.heartbeat-interval=9s");
    }

    @Test
    void aPeerLimitBelowItsWarningStopsStartUpNamingThePropertyAndTheOtherOne() {
        assertInvalid("idgen.clock.peer-critical-threshold", "must be between PT2S",
                "idgen.worker.assignment=zookeeper", "idgen.zookeeper.connect-string=" + zookeeper.getConnectString(),
                "idgen.clock.peer-warn-threshold=2s", "idgen.clock.peer-critical-threshold=1s");
    }

    @Test
    void aHandoverWaitAboveADayStopsStartUp() {
        assertInvalid("idgen.zookeeper.max-handover-wait", "must be between PT0S and PT24H",
                "idgen.worker.assignment=zookeeper", "idgen.zookeeper.connect-string=" + zookeeper.getConnectString(),
                "idgen.zookeeper.max-handover-wait=25h");
    }

    @Test
    void aBackwardWaitAboveTenSecondsStopsStartUp() {
        assertInvalid("idgen.clock.max-backward-wait", "must be between PT0S and PT10S",
                "idgen.worker.assignment=static", "idgen.worker.id=1", "idgen.clock.max-backward-wait=11s");
    }

    @Test
    void anNtpServerWithABadPortStopsStartUp() {
        assertInvalid("idgen.clock.ntp.servers", "\"host:port\"", "idgen.worker.assignment=static", "idgen.worker.id=1",
                "idgen.clock.ntp.servers=127.0.0.1:99999");
    }

    @Test
    void aNodeNameThatCannotBeAZnodeStopsStartUp() {
        assertInvalid("idgen.node-name", "letters, digits", "idgen.worker.assignment=static", "idgen.worker.id=1",
                "idgen.node-name=no/slashes");
    }

    private void assertInvalid(String property, String allowed, String... properties) {
        contextRunner.withPropertyValues(properties).run((context) -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            InvalidConfigurationPropertyValueException invalid = findCause(failure,
                    InvalidConfigurationPropertyValueException.class);
            assertThat(invalid).as("cause of %s", failure).isNotNull();
            assertThat(invalid.getName()).isEqualTo(property);
            assertThat(invalid.getReason()).contains(allowed);
        });
    }

    @Test
    void aUserGeneratorWins() {
        IdGenerator mine = IdGenerator.builder().workerId(42).build();
        contextRunner.withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=1")
            .withBean("myGenerator", IdGenerator.class, () -> mine)
            .run((context) -> assertThat(context).getBean(IdGenerator.class).isSameAs(mine));
    }

    @Test
    void aUserLeaseWinsAndIsStartedAndClosedWithTheApplication() {
        StaticWorkerLease mine = new StaticWorkerLease(9, "mine");
        contextRunner.withBean("myLease", ManagedWorkerLease.class, () -> mine).run((context) -> {
            assertThat(context).doesNotHaveBean(EmbeddedZooKeeper.class);
            assertThat(context).getBean(ManagedWorkerLease.class).isSameAs(mine);
            IdGenerator generator = context.getBean(IdGenerator.class);
            assertThat(generator.parse(generator.nextId()).workerId()).isEqualTo(9);
            // Already started by the application's lifecycle.
            assertThatIllegalStateException().isThrownBy(mine::start);
        });
        assertThat(mine.snapshot().state()).isEqualTo(LeaseState.CLOSED);
    }

    @Test
    void aUserTimeSourceAndListenerWin() {
        long now = 1_800_000_000_000L;
        ManualTimeSource time = new ManualTimeSource(now);
        AtomicInteger issued = new AtomicInteger();
        IdGenerationListener listener = new IdGenerationListener() {
            @Override
            public void idsGenerated(int count) {
                issued.addAndGet(count);
            }
        };
        contextRunner.withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=1")
            .withBean(TimeSource.class, () -> time)
            .withBean(IdGenerationListener.class, () -> listener)
            .run((context) -> {
                IdGenerator generator = context.getBean(IdGenerator.class);
                assertThat(generator.parse(generator.nextId()).timestamp().toEpochMilli()).isEqualTo(now);
                generator.nextIds(3);
                assertThat(issued).hasValue(4);
            });
    }

    @Test
    void anExistingCuratorFrameworkIsReusedAndNotClosed() throws Exception {
        CuratorFramework mine = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
        mine.start();
        try {
            // Destroy method disabled: the application, not this context, owns the
            // client.
            embedded().withPropertyValues("idgen.zookeeper.root-path=/reused")
                .withBean("myCurator", CuratorFramework.class, () -> mine,
                        (definition) -> definition.setDestroyMethodName(""))
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean(CuratorFramework.class).isSameAs(mine);
                    // The embedded server only exists to serve a client of our own.
                    assertThat(context).doesNotHaveBean(EmbeddedZooKeeper.class);
                    assertThat(context.getBean(ManagedWorkerLease.class).snapshot().state())
                        .isEqualTo(LeaseState.ACTIVE);
                    assertThat(mine.checkExists().forPath("/reused")).isNotNull();
                });
            assertThat(mine.getState()).isEqualTo(CuratorFrameworkState.STARTED);
        }
        finally {
            mine.close();
        }
    }

    @Test
    void aFullRangeFailsStartUp() {
        ApplicationContextRunner ensemble = contextRunner.withPropertyValues("idgen.worker.assignment=zookeeper",
                "idgen.zookeeper.connect-string=" + zookeeper.getConnectString(), "idgen.zookeeper.root-path=/full",
                "idgen.worker.range=5");
        ensemble.withPropertyValues("idgen.node-name=first").run((first) -> {
            assertThat(first.getBean(ManagedWorkerLease.class).snapshot().workerId()).isEqualTo(5);
            ensemble.withPropertyValues("idgen.node-name=second").run((second) -> {
                assertThat(second).hasFailed();
                assertThat(findCause(second.getStartupFailure(), WorkerIdUnavailableException.class)).isNotNull();
            });
        });
    }

    @Test
    void anUnreachableZooKeeperLeavesTheApplicationRunningButRefusing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        contextRunner
            .withPropertyValues("idgen.worker.assignment=zookeeper",
                    "idgen.zookeeper.connect-string=127.0.0.1:" + closedPort, "idgen.worker.startup-timeout=200ms")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(ManagedWorkerLease.class).snapshot().state())
                    .isEqualTo(LeaseState.ACQUIRING);
                assertThatExceptionOfType(LeaseExpiredException.class)
                    .isThrownBy(() -> context.getBean(IdGenerator.class).nextId());
            });
    }

    @Test
    void aStoppedAndRestartedContextKeepsItsWorkerIdAndIssues() {
        embedded().withPropertyValues("idgen.zookeeper.embedded.data-dir=" + tempDir.resolve("stop-start"))
            .run((context) -> {
                IdGenerator generator = context.getBean(IdGenerator.class);
                ManagedWorkerLease lease = context.getBean(ManagedWorkerLease.class);
                long before = generator.nextId();

                context.stop();
                context.start();

                assertThat(lease.snapshot().state()).isEqualTo(LeaseState.ACTIVE);
                assertThat(generator.nextId()).isGreaterThan(before);
            });
    }

    @Test
    void closingTheContextReleasesTheLease() {
        AtomicReference<ManagedWorkerLease> lease = new AtomicReference<>();
        embedded().withPropertyValues("idgen.zookeeper.embedded.data-dir=" + tempDir.resolve("close"))
            .run((context) -> lease.set(context.getBean(ManagedWorkerLease.class)));

        assertThat(lease.get().snapshot().state()).isEqualTo(LeaseState.CLOSED);
        assertThat(lease.get().window().holdsWorker()).isFalse();
    }

    @Test
    void theLeaseIsReleasedAfterTheWebServerHasDrained() {
        contextRunner.withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=1").run((context) -> {
            int phase = context.getBean(WorkerLeaseLifecycle.class).getPhase();
            // Lower phases stop later: the web server drains (graceful shutdown) before
            // the lease is released.
            assertThat(phase).isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
        });
    }

    @Test
    void clockPropertiesReachTheGenerator() {
        contextRunner
            .withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=1", "idgen.clock.policy=borrow",
                    "idgen.clock.offset=-1h")
            .run((context) -> {
                IdGenerator generator = context.getBean(IdGenerator.class);
                long issuedAt = generator.parse(generator.nextId()).timestamp().toEpochMilli();
                // An hour behind the real clock, within any plausible test-machine delay.
                assertThat(System.currentTimeMillis() - issuedAt).isBetween(3_590_000L, 3_610_000L);
                assertThat(context.getBean(IdGeneratorProperties.class).getClock().getPolicy())
                    .isEqualTo(ClockBackwardsPolicy.BORROW);
            });
    }

    @Test
    void ntpMonitoringIsOffWithoutServersAndWithoutCommonsNet() {
        contextRunner.withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=1")
            .run((context) -> assertThat(context).doesNotHaveBean(NtpDriftMonitor.class));
        contextRunner.withClassLoader(new FilteredClassLoader(NTPUDPClient.class))
            .withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=1",
                    "idgen.clock.ntp.servers=127.0.0.1:1234")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(NtpDriftMonitor.class);
            });
    }

    @Test
    void refuseOnCriticalStopsIssuingWhileTheClockIsFarFromNtp() throws Exception {
        try (var ntp = new dev.idgen.boot.ntp.LoopbackNtpServerAccess(Duration.ofMillis(500))) {
            contextRunner
                .withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=1",
                        "idgen.clock.ntp.servers=" + ntp.address(), "idgen.clock.ntp.refuse-on-critical=true")
                .run((context) -> {
                    NtpDriftMonitor monitor = context.getBean(NtpDriftMonitor.class);
                    await().atMost(Duration.ofSeconds(10)).until(monitor::isCritical);
                    assertThatExceptionOfType(IdGenerationException.class)
                        .isThrownBy(() -> context.getBean(IdGenerator.class).nextId());
                    ntp.setOffset(Duration.ZERO);
                    monitor.check();
                    assertThat(context.getBean(IdGenerator.class).nextId()).isPositive();
                });
        }
    }

    @Test
    void withoutRefuseOnCriticalACriticalDriftDoesNotStopIssuing() throws Exception {
        try (var ntp = new dev.idgen.boot.ntp.LoopbackNtpServerAccess(Duration.ofMillis(500))) {
            contextRunner
                .withPropertyValues("idgen.worker.assignment=static", "idgen.worker.id=1",
                        "idgen.clock.ntp.servers[0]=" + ntp.address())
                .run((context) -> {
                    NtpDriftMonitor monitor = context.getBean(NtpDriftMonitor.class);
                    await().atMost(Duration.ofSeconds(10)).until(monitor::isCritical);
                    assertThat(context.getBean(IdGenerator.class).nextId()).isPositive();
                });
        }
    }

    /** The runner, opted in to the one-host embedded ZooKeeper. */
    private ApplicationContextRunner embedded() {
        return contextRunner.withPropertyValues("idgen.worker.assignment=embedded");
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

}
