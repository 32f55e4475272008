package dev.idgen.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.idgen.core.clock.ManualTimeSource;
import dev.idgen.core.lease.LeaseWindow;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The algorithm under a hand-driven clock: no sleeps, every wait is observed through the
 * clock.
 */
class SnowflakeIdGeneratorTests {

    private static final IdLayout LAYOUT = IdLayout.defaults();

    /** 2024-10-27T03:33:20.123Z, the seeds' example instant. */
    private static final long T = 1_730_000_000_123L;

    private final ManualTimeSource clock = new ManualTimeSource(T);

    private final RecordingListener listener = new RecordingListener();

    private final AtomicReference<LeaseWindow> window = new AtomicReference<>(LeaseWindow.unbounded(5));

    private IdGenerator generator(ClockBackwardsPolicy policy) {
        return IdGenerator.builder()
            .layout(LAYOUT)
            .lease(window::get)
            .timeSource(clock)
            .clockBackwardsPolicy(policy)
            .listener(listener)
            .build();
    }

    private final IdGenerator generator = generator(ClockBackwardsPolicy.WAIT);

    @Test
    void idsInOneMillisecondCountTheSequenceUp() {
        IdParts first = LAYOUT.parse(generator.nextId());
        IdParts second = LAYOUT.parse(generator.nextId());

        assertThat(first.epochMillis()).isEqualTo(T);
        assertThat(first.workerId()).isEqualTo(5);
        assertThat(first.sequence()).isZero();
        assertThat(second.epochMillis()).isEqualTo(T);
        assertThat(second.sequence()).isEqualTo(1);
        assertThat(listener.generated).hasValue(2);
    }

    @Test
    void aNewMillisecondStartsTheSequenceAgain() {
        generator.nextId();
        generator.nextId();
        clock.advance(Duration.ofMillis(1));

        IdParts parts = LAYOUT.parse(generator.nextId());

        assertThat(parts.epochMillis()).isEqualTo(T + 1);
        assertThat(parts.sequence()).isZero();
    }

    @Test
    void exhaustedSequenceWaitsForTheNextMillisecondAndNeverReusesAValue() {
        long[] all = generator.nextIds(4096);
        assertThat(LAYOUT.parse(all[4095])).extracting(IdParts::epochMillis, IdParts::sequence)
            .containsExactly(T, 4095);
        assertThat(clock.pausedTotal()).isZero();

        IdParts next = LAYOUT.parse(generator.nextId());

        assertThat(next.epochMillis()).isEqualTo(T + 1);
        assertThat(next.sequence()).isZero();
        assertThat(clock.pausedTotal()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(1));
        assertThat(listener.exhausted).hasValue(1);
    }

    @Test
    void batchReservesWholeMillisecondsInIncreasingOrder() {
        long[] ids = generator.nextIds(10_000);

        assertThat(ids).hasSize(10_000).isSorted().doesNotHaveDuplicates();
        assertThat(LAYOUT.parse(ids[0])).extracting(IdParts::epochMillis, IdParts::sequence).containsExactly(T, 0);
        assertThat(LAYOUT.parse(ids[4096])).extracting(IdParts::epochMillis, IdParts::sequence)
            .containsExactly(T + 1, 0);
        assertThat(LAYOUT.parse(ids[8192])).extracting(IdParts::epochMillis, IdParts::sequence)
            .containsExactly(T + 2, 0);
        assertThat(LAYOUT.parse(ids[9999])).extracting(IdParts::epochMillis, IdParts::sequence)
            .containsExactly(T + 2, 9999 - 8192);
        assertThat(listener.generated).hasValue(10_000);
    }

    @Test
    void batchContinuesTheSequenceOfSingleCalls() {
        long single = generator.nextId();
        long[] batch = generator.nextIds(3);

        assertThat(batch).containsExactly(single + 1, single + 2, single + 3);
    }

    @Test
    void batchCountBelowOneIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> generator.nextIds(0))
            .withMessage("count must be at least 1, but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> generator.nextIds(-5))
            .withMessage("count must be at least 1, but was -5");
    }

    @Test
    void smallBackwardStepIsWaitedOut() {
        long before = generator.nextId();
        clock.setMillis(T - 3);

        long after = generator.nextId();

        assertThat(after).isGreaterThan(before);
        assertThat(LAYOUT.parse(after).epochMillis()).isGreaterThanOrEqualTo(T);
        assertThat(clock.pausedTotal()).isGreaterThanOrEqualTo(Duration.ofMillis(3));
        assertThat(listener.backwards).containsExactly(3L);
        assertThat(listener.refusals).isEmpty();
    }

    @Test
    void backwardStepAtTheToleranceIsStillWaitedOut() {
        long before = generator.nextId();
        clock.setMillis(T - 5);

        assertThat(generator.nextId()).isGreaterThan(before);
    }

    @Test
    void largeBackwardStepIsRefusedWithItsSize() {
        generator.nextId();
        clock.setMillis(T - 23);

        assertThatExceptionOfType(ClockMovedBackwardsException.class).isThrownBy(generator::nextId)
            .withMessage(
                    "clock moved backwards by 23 ms, more than the tolerated 5 ms; refusing to issue ids until it catches up")
            .satisfies(e -> {
                assertThat(e.backwardMillis()).isEqualTo(23);
                assertThat(e.reason()).isEqualTo(RefusalReason.CLOCK_BACKWARDS);
                assertThat(e.retryAfterMillis()).isEqualTo(23);
            });
        assertThat(listener.refusals).containsExactly(RefusalReason.CLOCK_BACKWARDS);
        assertThat(clock.pausedTotal()).isZero();
    }

    @Test
    void refusalEndsOnceTheClockHasCaughtUp() {
        long before = generator.nextId();
        clock.setMillis(T - 100);
        assertThatExceptionOfType(ClockMovedBackwardsException.class).isThrownBy(generator::nextId);

        clock.setMillis(T);

        assertThat(generator.nextId()).isEqualTo(before + 1);
    }

    @Test
    void batchIsRefusedWholeWhenTheClockIsFarBehind() {
        generator.nextId();
        clock.setMillis(T - 1000);

        assertThatExceptionOfType(ClockMovedBackwardsException.class).isThrownBy(() -> generator.nextIds(100));
        assertThat(listener.generated).hasValue(1);
    }

    @Test
    void borrowPolicyKeepsIssuingAboveTheLastIdWithoutWaiting() {
        IdGenerator borrowing = generator(ClockBackwardsPolicy.BORROW);
        long before = borrowing.nextId();
        clock.setMillis(T - 100);

        long[] ids = borrowing.nextIds(5000);

        assertThat(ids[0]).isEqualTo(before + 1);
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        // The rest of T's sequence is used up, then the timestamp moves on logically
        // ahead of the clock.
        assertThat(LAYOUT.parse(ids[4094])).extracting(IdParts::epochMillis, IdParts::sequence)
            .containsExactly(T, 4095);
        assertThat(LAYOUT.parse(ids[4095])).extracting(IdParts::epochMillis, IdParts::sequence)
            .containsExactly(T + 1, 0);
        assertThat(clock.pausedTotal()).isZero();
    }

    @Test
    void borrowPolicyRefusesBeyondItsBound() {
        IdGenerator borrowing = IdGenerator.builder()
            .lease(window::get)
            .timeSource(clock)
            .clockBackwardsPolicy(ClockBackwardsPolicy.BORROW)
            .maxBorrow(Duration.ofMillis(2))
            .listener(listener)
            .build();
        borrowing.nextId();
        clock.setMillis(T - 2);
        borrowing.nextIds(4095); // uses up T's sequence: lead is 2 ms, within the bound

        // Moving to T + 1 would lead the clock by 3 ms.
        assertThatExceptionOfType(ClockMovedBackwardsException.class).isThrownBy(borrowing::nextId)
            .withMessageContaining("more than the tolerated 2 ms");
        clock.setMillis(T - 3);
        assertThatExceptionOfType(ClockMovedBackwardsException.class).isThrownBy(borrowing::nextId)
            .satisfies(e -> assertThat(e.backwardMillis()).isEqualTo(3));
    }

    @Test
    void leaseEndRefusesIdsAtOrAfterNotAfter() {
        window.set(new LeaseWindow(5, Long.MIN_VALUE, T + 1));
        generator.nextId();
        clock.setMillis(T + 1);

        assertThatExceptionOfType(LeaseExpiredException.class).isThrownBy(generator::nextId)
            .withMessageContaining("the lease on worker id 5 ended at 2024-10-27T03:33:20.124Z")
            .satisfies(e -> assertThat(e.reason()).isEqualTo(RefusalReason.LEASE_EXPIRED));
        assertThat(listener.refusals).containsExactly(RefusalReason.LEASE_EXPIRED);
    }

    @Test
    void aWindowWithdrawnWhileTheClockIsReadIsNotUsed() {
        // The first read sees a valid window; by the time the clock has been read the
        // coordinator has
        // withdrawn it (and may have reserved only up to "now"): the call must start over
        // and refuse.
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        LeaseWindow valid = LeaseWindow.unbounded(5);
        IdGenerator racing = IdGenerator.builder()
            .timeSource(clock)
            .listener(listener)
            .lease(() -> reads.getAndIncrement() == 0 ? valid : LeaseWindow.none())
            .build();

        assertThatExceptionOfType(LeaseExpiredException.class).isThrownBy(racing::nextId);
        assertThat(reads.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aLeaseThatReturnsEqualWindowsAsNewObjectsStillIssues() {
        IdGenerator fresh = IdGenerator.builder().timeSource(clock).lease(() -> LeaseWindow.unbounded(5)).build();

        assertThat(LAYOUT.parse(fresh.nextId()).workerId()).isEqualTo(5);
    }

    @Test
    void noWorkerIdMeansNoIds() {
        window.set(LeaseWindow.none());

        assertThatExceptionOfType(LeaseExpiredException.class).isThrownBy(generator::nextId)
            .withMessage("no worker id is held: this node cannot prove it owns one");
        assertThatExceptionOfType(LeaseExpiredException.class).isThrownBy(() -> generator.nextIds(10));
    }

    @Test
    void leaseNotYetValidIsWaitedForWithinTheBoundAndFirstIdComesStrictlyAfterNotBefore() {
        window.set(new LeaseWindow(5, T + 300, Long.MAX_VALUE));

        IdParts first = LAYOUT.parse(generator.nextId());

        assertThat(first.epochMillis()).isEqualTo(T + 301);
        assertThat(clock.pausedTotal()).isEqualTo(Duration.ofMillis(301));
        assertThat(listener.leaseWaits).hasSize(1);
    }

    @Test
    void anIdIsNeverIssuedAtNotBeforeItself() {
        // The previous holder may have issued ids at exactly notBefore: that millisecond
        // is theirs.
        window.set(new LeaseWindow(5, T, Long.MAX_VALUE));

        assertThat(LAYOUT.parse(generator.nextId()).epochMillis()).isEqualTo(T + 1);
    }

    @Test
    void anIdIsIssuedInTheLastMillisecondBeforeNotAfter() {
        window.set(new LeaseWindow(5, Long.MIN_VALUE, T + 1));

        assertThat(LAYOUT.parse(generator.nextId()).epochMillis()).isEqualTo(T);
    }

    @Test
    void leaseThatOpensTooLateIsRefusedWithoutWaiting() {
        window.set(new LeaseWindow(5, T + 5_000, Long.MAX_VALUE));

        assertThatExceptionOfType(LeaseNotYetValidException.class).isThrownBy(generator::nextId)
            .withMessage(
                    "worker id 5 may not issue ids for another 5001 ms: its previous holder reserved timestamps up to then")
            .satisfies(e -> assertThat(e.remainingMillis()).isEqualTo(5001));
        assertThat(clock.pausedTotal()).isZero();
        assertThat(listener.refusals).containsExactly(RefusalReason.LEASE_NOT_YET_VALID);
    }

    @Test
    void aNewWorkerIdWithinTheSameMillisecondMovesToTheNextMillisecond() {
        long before = generator.nextId();
        window.set(LeaseWindow.unbounded(3));

        long after = generator.nextId();

        assertThat(after).isGreaterThan(before);
        assertThat(LAYOUT.parse(after)).extracting(IdParts::epochMillis, IdParts::workerId, IdParts::sequence)
            .containsExactly(T + 1, 3, 0);
    }

    @Test
    void clockBeforeTheEpochIsRefused() {
        clock.setMillis(LAYOUT.epochMillis() - 1);

        assertThatExceptionOfType(TimestampOutOfRangeException.class).isThrownBy(generator::nextId)
            .withMessage("timestamp 2019-12-31T23:59:59.999Z is outside this layout's range "
                    + "2020-01-01T00:00:00Z to 2089-09-06T15:47:35.551Z");
    }

    @Test
    void clockPastTheLastInstantIsRefusedButTheLastMillisecondIsUsable() {
        clock.setMillis(LAYOUT.lastInstant().toEpochMilli());
        assertThat(generator.nextIds(4096)).endsWith(Long.MAX_VALUE & ~((1L << 22) - 1) | (5L << 12) | 4095);

        assertThatExceptionOfType(TimestampOutOfRangeException.class).isThrownBy(generator::nextId);
        clock.setMillis(LAYOUT.lastInstant().toEpochMilli() + 1);
        assertThatExceptionOfType(TimestampOutOfRangeException.class).isThrownBy(generator::nextId);
    }

    @Test
    void workerIdOutsideTheLayoutIsAProgrammingError() {
        window.set(LeaseWindow.unbounded(1024));

        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(generator::nextId)
            .withMessage("lease granted worker id 1024 but the layout allows 0 to 1023");
    }

    @Test
    void builderRejectsOutOfRangeSettings() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> IdGenerator.builder().maxBackwardWait(Duration.ofMillis(-1)))
            .withMessage("maxBackwardWait must be between 0 and PT10S, but was PT-0.001S");
        assertThatIllegalArgumentException().isThrownBy(() -> IdGenerator.builder().maxLeaseWait(Duration.ofHours(2)))
            .withMessageContaining("maxLeaseWait must be between 0 and PT1M");
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> IdGenerator.builder().build())
            .withMessage("a lease (or workerId) is required");
    }

    @Test
    void parseUsesTheGeneratorsLayout() {
        IdLayout other = IdLayout.of(java.time.Instant.parse("2010-11-04T01:42:54.657Z"), 41, 10, 12);
        IdGenerator twitterEpoch = IdGenerator.builder().layout(other).workerId(7).timeSource(clock).build();

        long id = twitterEpoch.nextId();

        assertThat(twitterEpoch.parse(id).epochMillis()).isEqualTo(T);
        assertThat(generator.parse(id).epochMillis()).isNotEqualTo(T);
    }

}
