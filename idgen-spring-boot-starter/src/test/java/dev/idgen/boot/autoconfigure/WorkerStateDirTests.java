package dev.idgen.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idgen.core.IdGenerationException;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.ManagedWorkerLease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code idgen.worker.state-dir}: this node's durable record of what it reserved, the
 * floor that holds when ZooKeeper loses its data.
 */
class WorkerStateDirTests {

    @TempDir
    Path tempDir;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IdGeneratorAutoConfiguration.class))
        .withPropertyValues("idgen.node-name=floor-node", "idgen.worker.assignment=zookeeper", "idgen.worker.range=7",
                "idgen.zookeeper.session-timeout=2s", "idgen.zookeeper.heartbeat-interval=200ms",
                "idgen.zookeeper.safety-margin=200ms");

    @Test
    void aNodeRestartedOnAnEmptyZooKeeperWithItsClockBehindIssuesOnlyAboveWhatItReservedBefore() throws Exception {
        Path stateDir = tempDir.resolve("state");
        AtomicReference<Instant> reservedBefore = new AtomicReference<>();
        AtomicLong lastIssuedBefore = new AtomicLong();
        try (TestingServer first = new TestingServer(true)) {
            contextRunner
                .withPropertyValues("idgen.zookeeper.connect-string=" + first.getConnectString(),
                        "idgen.worker.state-dir=" + stateDir)
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    lastIssuedBefore.set(context.getBean(IdGenerator.class).nextId());
                    LeaseSnapshot snapshot = context.getBean(ManagedWorkerLease.class).snapshot();
                    assertThat(snapshot.workerId()).isEqualTo(7);
                    reservedBefore.set(snapshot.reservedUntil());
                });
        }
        // A fresh, empty ZooKeeper (the ensemble lost its data or was replaced), and a
        // clock 2 s behind.
        try (TestingServer replaced = new TestingServer(true)) {
            contextRunner
                .withPropertyValues("idgen.zookeeper.connect-string=" + replaced.getConnectString(),
                        "idgen.worker.state-dir=" + stateDir)
                .withBean("idgenTimeSource", TimeSource.class, () -> TimeSource.systemWithOffset(-2_000))
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    IdGenerator generator = context.getBean(IdGenerator.class);
                    long first = await().atMost(Duration.ofSeconds(15)).until(() -> issue(generator), (id) -> id > 0);
                    assertThat(generator.parse(first).workerId()).isEqualTo(7);
                    assertThat(generator.parse(first).timestamp()).isAfter(reservedBefore.get());
                    assertThat(first).isGreaterThan(lastIssuedBefore.get());
                });
        }
    }

    @Test
    void aStateDirThatCannotBeCreatedStopsStartUpNamingTheProperty() throws Exception {
        Path aFile = Files.writeString(tempDir.resolve("not-a-directory"), "x");
        try (TestingServer zookeeper = new TestingServer(true)) {
            contextRunner
                .withPropertyValues("idgen.zookeeper.connect-string=" + zookeeper.getConnectString(),
                        "idgen.worker.state-dir=" + aFile.resolve("state"))
                .run((context) -> {
                    assertThat(context).hasFailed();
                    InvalidConfigurationPropertyValueException invalid = findCause(context.getStartupFailure(),
                            InvalidConfigurationPropertyValueException.class);
                    assertThat(invalid).isNotNull();
                    assertThat(invalid.getName()).isEqualTo("idgen.worker.state-dir");
                    assertThat(invalid.getReason()).contains("writable directory");
                });
        }
    }

    /**
     * An id, or 0 while the node refuses (waiting for its clock to pass its own floor).
     */
    private static long issue(IdGenerator generator) {
        try {
            return generator.nextId();
        }
        catch (IdGenerationException ex) {
            return 0;
        }
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
