package dev.idgen.boot.lease;

import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.LeaseState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.idgen.core.lease.LeaseWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticWorkerLeaseTests {

    @Test
    void isActiveWithAnUnboundedWindowForItsWorkerId() throws InterruptedException {
        StaticWorkerLease lease = new StaticWorkerLease(17, "node-a");
        lease.start();
        assertThat(lease.window()).isEqualTo(LeaseWindow.unbounded(17));
        LeaseSnapshot snapshot = lease.awaitActive(Duration.ZERO);
        assertThat(snapshot.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(snapshot.workerId()).isEqualTo(17);
        assertThat(snapshot.assignment()).isEqualTo("static");
        assertThat(snapshot.nodeName()).isEqualTo("node-a");
        assertThat(snapshot.timeLeft()).isGreaterThan(Duration.ofDays(365L * 1000));
    }

    @Test
    void closingStopsIssuingAndTellsListenersOnce() {
        StaticWorkerLease lease = new StaticWorkerLease(17, "node-a");
        List<LeaseState> seen = new ArrayList<>();
        lease.addStateListener((snapshot) -> seen.add(snapshot.state()));
        lease.start();
        lease.close();
        lease.close();
        assertThat(lease.window().holdsWorker()).isFalse();
        assertThat(lease.snapshot().state()).isEqualTo(LeaseState.CLOSED);
        assertThat(lease.snapshot().timeLeft()).isZero();
        assertThat(seen).containsExactly(LeaseState.CLOSED);
    }

    @Test
    void cannotBeStartedTwice() {
        StaticWorkerLease lease = new StaticWorkerLease(1, "node-a");
        lease.start();
        assertThatIllegalStateException().isThrownBy(lease::start);
    }

}
