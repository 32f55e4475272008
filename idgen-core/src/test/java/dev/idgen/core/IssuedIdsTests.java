package dev.idgen.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.idgen.core.clock.ManualTimeSource;
import dev.idgen.core.lease.IssuedIds;
import dev.idgen.core.lease.LeaseWindow;
import dev.idgen.core.lease.WorkerLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a generator tells its lease at release: the highest timestamp it issued, with
 * every call in flight made to start over, so a final reservation written from it covers
 * every id.
 */
class IssuedIdsTests {

    private static final long T = 1_730_000_000_123L;

    private final ManualTimeSource clock = new ManualTimeSource(T);

    /**
     * A lease that records the generators tracking it and can withdraw its window at a
     * chosen read.
     */
    private static final class ReleasingLease implements WorkerLease {

        final List<IssuedIds> tracked = new ArrayList<>();

        volatile LeaseWindow window = LeaseWindow.unbounded(3);

        int reads;

        int withdrawAtRead = -1;

        long settledAt = Long.MAX_VALUE;

        @Override
        public LeaseWindow window() {
            reads++;
            LeaseWindow seen = window;
            if (reads == withdrawAtRead) {
                // The release runs between this read and the caller's compare-and-set:
                // the caller still
                // holds the old window, as a thread preempted right after its last look
                // would.
                window = LeaseWindow.none();
                settledAt = tracked.get(0).settle();
            }
            return seen;
        }

        @Override
        public void track(IssuedIds issued) {
            tracked.add(issued);
        }

    }

    @Test
    void everyGeneratorBuiltOnALeaseIsTrackedByIt() {
        ReleasingLease lease = new ReleasingLease();

        IdGenerator.builder().lease(lease).timeSource(clock).build();
        IdGenerator.builder().lease(lease).timeSource(clock).build();

        assertThat(lease.tracked).hasSize(2);
    }

    @Test
    void settlingReportsNothingBeforeTheFirstId() {
        ReleasingLease lease = new ReleasingLease();
        IdGenerator.builder().lease(lease).timeSource(clock).build();

        assertThat(lease.tracked.get(0).settle()).isEqualTo(IssuedIds.NOTHING);
    }

    @Test
    void settlingReportsTheHighestTimestampIssuedEvenAfterTheClockSteppedBack() {
        ReleasingLease lease = new ReleasingLease();
        IdGenerator generator = IdGenerator.builder().lease(lease).timeSource(clock).build();
        clock.advance(Duration.ofSeconds(5));
        generator.nextId();
        clock.setMillis(T - 120_000);

        assertThat(lease.tracked.get(0).settle()).isEqualTo(T + 5_000);
    }

    @Test
    void aCallWhoseWindowIsWithdrawnAfterItsLastLookIsRefusedNotIssuedAboveWhatWasSettled() {
        ReleasingLease lease = new ReleasingLease();
        IdGenerator generator = IdGenerator.builder().lease(lease).timeSource(clock).build();
        generator.nextId(); // reads 1 and 2
        clock.advance(Duration.ofMillis(7));
        lease.withdrawAtRead = 4; // the second look of the next call

        assertThatExceptionOfType(LeaseExpiredException.class).isThrownBy(generator::nextId);
        assertThat(lease.settledAt).isEqualTo(T);
    }

    @Test
    void aGeneratorKeepsIssuingUniqueIdsWhenItsLeaseGrantsAWindowAgainAfterASettle() {
        ReleasingLease lease = new ReleasingLease();
        IdGenerator generator = IdGenerator.builder().lease(lease).timeSource(clock).build();
        long before = generator.nextId();
        lease.tracked.get(0).settle();

        long after = generator.nextId();

        assertThat(after).isGreaterThan(before);
    }

}
