package dev.idgen.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.idgen.boot.lease.StaticWorkerLease;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerLeaseLifecycleTests {

    private final StaticWorkerLease lease = new StaticWorkerLease(3, "node-a");

    private final WorkerLeaseLifecycle lifecycle = new WorkerLeaseLifecycle(lease, Duration.ofSeconds(5));

    @Test
    void theClaimBeginsWhenTheBeanIsInitializedBeforeTheContextStarts() {
        lifecycle.afterPropertiesSet();

        assertThatIllegalStateException().as("already started by the lifecycle").isThrownBy(lease::start);
        assertThat(lifecycle.isRunning()).isFalse();
    }

    @Test
    void startWaitsForTheClaimBegunEarlierWithoutStartingTheLeaseAgain() {
        lifecycle.afterPropertiesSet();

        assertThatNoException().isThrownBy(lifecycle::start);
        assertThat(lifecycle.isRunning()).isTrue();
    }

    @Test
    void aLifecycleStartedWithoutInitializationStillClaims() {
        lifecycle.start();

        assertThatIllegalStateException().isThrownBy(lease::start);
        assertThat(lifecycle.isRunning()).isTrue();
    }

    @Test
    void aStopAndStartKeepsTheLease() {
        lifecycle.afterPropertiesSet();
        lifecycle.start();

        lifecycle.stop();
        assertThat(lifecycle.isRunning()).isFalse();
        lifecycle.start();

        assertThat(lifecycle.isRunning()).isTrue();
        assertThat(lease.snapshot().workerId()).isEqualTo(3);
    }

}
