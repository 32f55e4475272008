package dev.idgen.zookeeper;

import static dev.idgen.zookeeper.LeaseTestSupport.BOUND;
import static dev.idgen.zookeeper.LeaseTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two live processes under one node name, against a real ZooKeeper: separate worker ids,
 * and a warning.
 */
class ZooKeeperWorkerLeaseNodeNameTests extends SingleServerLeaseTests {

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    private final Logger peerClockLog = (Logger) LoggerFactory.getLogger(PeerClockVote.class);

    @BeforeEach
    void captureWarnings() {
        logged.start();
        peerClockLog.addAppender(logged);
    }

    @AfterEach
    void stopCapturing() {
        peerClockLog.detachAppender(logged);
    }

    @Test
    void aSecondProcessUnderARunningNodesNameGetsAnotherWorkerIdAndBothAreWarned() throws Exception {
        ZooKeeperWorkerLease first = zk.activeLease(settings("node-a", 0, 1).endpoint("10.0.0.1", 8080).build(),
                system);
        ZooKeeperWorkerLease second = zk.activeLease(settings("node-a", 0, 1).endpoint("10.0.0.2", 8080).build(),
                system);

        assertThat(second.window().workerId()).isNotEqualTo(first.window().workerId());
        await().atMost(BOUND)
            .until(() -> logged.list.stream()
                .filter(event -> event.getFormattedMessage().contains("node names must be unique"))
                .map(ILoggingEvent::getFormattedMessage)
                .anyMatch(message -> message.contains("10.0.0.1"))
                    && logged.list.stream().anyMatch(event -> event.getFormattedMessage().contains("host 10.0.0.2")));
    }

    @Test
    void aNodesOwnPreviousLifeIsNotTakenForAnotherProcess() throws Exception {
        ZooKeeperWorkerLease crashed = new ZooKeeperWorkerLease(zk.newClient(), settings("node-a", 0, 1).build(),
                system);
        crashed.start();
        LeaseTestSupport.awaitState(crashed, dev.idgen.core.lease.LeaseState.ACTIVE);
        // Its session lives on (no close), as after a kill -9; the same node restarts on
        // the same endpoint.
        ZooKeeperWorkerLease restarted = zk.activeLease(settings("node-a", 0, 1).build(), system);
        long heartbeatsLater = System.nanoTime() + LeaseTestSupport.HEARTBEAT.multipliedBy(3).toNanos();
        await().atMost(BOUND)
            .until(() -> System.nanoTime() > heartbeatsLater && restarted.snapshot().peerClockOffset() != null);

        assertThat(logged.list).noneMatch(event -> event.getFormattedMessage().contains("node names must be unique"));
        crashed.close();
    }

}
