package dev.idgen.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idgen.core.IdLayout;
import dev.idgen.bench.load.Violation.Kind;
import org.junit.jupiter.api.Test;

class IdVerifierTests {

    private static final IdLayout LAYOUT = IdLayout.defaults();

    /** Wall-clock time of the hand-made requests: 2026-01-01T00:00:00Z. */
    private static final long T = 1_767_225_600_000L;

    private static final long TOLERANCE = 1_000;

    private final IdVerifier verifier = new IdVerifier(LAYOUT, 2, T, TOLERANCE);

    private static long id(long unixMillis, int workerId, int sequence) {
        return LAYOUT.compose(unixMillis - LAYOUT.epochMillis(), workerId, sequence);
    }

    @Test
    void increasingUniqueTimelyIdsFromTwoNodesWithTheirOwnWorkerIdsPass() {
        IdVerifier.Stream first = verifier.newStream();
        IdVerifier.Stream second = verifier.newStream();
        first.accept(0, T, T + 1, new long[] { id(T, 1, 0), id(T, 1, 1) });
        first.accept(1, T, T + 1, new long[] { id(T, 2, 0) });
        second.accept(0, T, T + 2, new long[] { id(T + 1, 1, 0) });
        second.accept(1, T, T + 2, new long[] { id(T + 1, 2, 7) });

        Verification verification = verifier.verify();

        assertThat(verification.passed()).isTrue();
        assertThat(verification.ids()).isEqualTo(5);
        assertThat(verification.duplicates()).isZero();
        assertThat(verification.stintsByNode().get(0)).containsExactly(new WorkerStint(1, T, T + 1));
        assertThat(verification.stintsByNode().get(1)).containsExactly(new WorkerStint(2, T, T + 1));
    }

    @Test
    void anIdReceivedOnTwoStreamsIsADuplicate() {
        verifier.newStream().accept(0, T, T + 1, new long[] { id(T, 1, 0), id(T, 1, 5) });
        verifier.newStream().accept(0, T, T + 1, new long[] { id(T, 1, 5) });

        Verification verification = verifier.verify();

        assertThat(verification.passed()).isFalse();
        assertThat(verification.duplicates()).isEqualTo(1);
        assertThat(verification.count(Kind.DUPLICATE)).isEqualTo(1);
        assertThat(verification.violations()).anySatisfy(violation -> {
            assertThat(violation.kind()).isEqualTo(Kind.DUPLICATE);
            assertThat(violation.message()).contains(Long.toString(id(T, 1, 5)));
        });
    }

    @Test
    void everyExtraCopyOfAnIdCountsAsADuplicateButIsReportedOnce() {
        long repeated = id(T, 1, 3);
        for (int i = 0; i < 3; i++) {
            verifier.newStream().accept(0, T, T + 1, new long[] { repeated });
        }
        verifier.newStream().accept(1, T, T + 1, new long[] { id(T, 1, 9), id(T, 1, 10) });

        Verification verification = verifier.verify();

        assertThat(verification.duplicates()).isEqualTo(2);
        assertThat(verification.count(Kind.DUPLICATE)).isEqualTo(1);
    }

    @Test
    void aNodeReturningASmallerIdOnTheSameStreamBreaksTheOrder() {
        IdVerifier.Stream stream = verifier.newStream();
        stream.accept(0, T, T + 1, new long[] { id(T, 1, 5) });
        stream.accept(0, T, T + 1, new long[] { id(T, 1, 4) });

        Verification verification = verifier.verify();

        assertThat(verification.count(Kind.NOT_INCREASING)).isEqualTo(1);
        assertThat(verification.count(Kind.DUPLICATE)).isZero();
    }

    @Test
    void aBatchThatIsNotIncreasingBreaksTheOrder() {
        verifier.newStream().accept(0, T, T + 1, new long[] { id(T, 1, 1), id(T, 1, 3), id(T, 1, 2) });

        assertThat(verifier.verify().count(Kind.NOT_INCREASING)).isEqualTo(1);
    }

    @Test
    void anIdRepeatedWithinOneStreamIsBothOutOfOrderAndADuplicate() {
        verifier.newStream().accept(0, T, T + 1, new long[] { id(T, 1, 1), id(T, 1, 1) });

        Verification verification = verifier.verify();

        assertThat(verification.count(Kind.NOT_INCREASING)).isEqualTo(1);
        assertThat(verification.duplicates()).isEqualTo(1);
    }

    @Test
    void orderIsOnlyRequiredPerNodeAndStream() {
        IdVerifier.Stream first = verifier.newStream();
        IdVerifier.Stream second = verifier.newStream();
        // Node 1 is behind node 0, and the second stream saw node 0's earlier ids last:
        // both are fine.
        first.accept(0, T, T + 2, new long[] { id(T + 2, 1, 0) });
        first.accept(1, T, T + 2, new long[] { id(T, 2, 0) });
        second.accept(0, T, T + 2, new long[] { id(T, 1, 0) });

        assertThat(verifier.verify().passed()).isTrue();
    }

    @Test
    void anIdFromBeforeTheRequestMinusTheToleranceIsOutOfTolerance() {
        verifier.newStream().accept(0, T, T + 5, new long[] { id(T - TOLERANCE - 1, 1, 0) });

        assertThat(verifier.verify().count(Kind.TIMESTAMP_OUT_OF_TOLERANCE)).isEqualTo(1);
    }

    @Test
    void anIdFromAfterTheResponsePlusTheToleranceIsOutOfTolerance() {
        verifier.newStream().accept(0, T, T + 5, new long[] { id(T + 5 + TOLERANCE + 1, 1, 0) });

        assertThat(verifier.verify().count(Kind.TIMESTAMP_OUT_OF_TOLERANCE)).isEqualTo(1);
    }

    @Test
    void idsAtTheEdgesOfTheToleranceAreAccepted() {
        verifier.newStream().accept(0, T, T + 5, new long[] { id(T - TOLERANCE, 1, 0), id(T + 5 + TOLERANCE, 1, 0) });

        assertThat(verifier.verify().passed()).isTrue();
    }

    @Test
    void aNodeIssuingUnderTwoWorkerIdsInTheSameMillisecondBreaksOneWorkerPerNode() {
        verifier.newStream().accept(0, T, T + 1, new long[] { id(T, 1, 0) });
        verifier.newStream().accept(0, T, T + 1, new long[] { id(T, 2, 0) });

        Verification verification = verifier.verify();

        assertThat(verification.count(Kind.TWO_WORKER_IDS_ON_ONE_NODE)).isEqualTo(1);
        assertThat(verification.violations()).anySatisfy(violation -> assertThat(violation.node()).isZero());
    }

    @Test
    void aNodeMayChangeItsWorkerIdOverTime() {
        IdVerifier.Stream stream = verifier.newStream();
        stream.accept(0, T, T + 10, new long[] { id(T, 1, 0), id(T + 3, 1, 0) });
        stream.accept(0, T, T + 10, new long[] { id(T + 5, 4, 0), id(T + 9, 4, 0) });

        Verification verification = verifier.verify();

        assertThat(verification.passed()).isTrue();
        assertThat(verification.stintsByNode().get(0)).containsExactly(new WorkerStint(1, T, T + 3),
                new WorkerStint(4, T + 5, T + 9));
    }

    @Test
    void oneWorkerIdUsedByTwoNodesOverOverlappingPeriodsIsAViolationEvenWithoutEqualIds() {
        verifier.newStream().accept(0, T, T + 10, new long[] { id(T, 3, 0), id(T + 8, 3, 0) });
        verifier.newStream().accept(1, T, T + 10, new long[] { id(T + 4, 3, 1) });

        Verification verification = verifier.verify();

        assertThat(verification.duplicates()).isZero();
        assertThat(verification.count(Kind.ONE_WORKER_ID_ON_TWO_NODES)).isEqualTo(1);
    }

    @Test
    void aWorkerIdHandedFromOneNodeToAnotherIsFine() {
        verifier.newStream().accept(0, T, T + 10, new long[] { id(T, 3, 0), id(T + 4, 3, 0) });
        verifier.newStream().accept(1, T, T + 10, new long[] { id(T + 5, 3, 0), id(T + 9, 3, 0) });

        assertThat(verifier.verify().passed()).isTrue();
    }

    @Test
    void aMalformedResponseIsAViolation() {
        verifier.newStream().malformed(1, "member \"id\" is missing");

        Verification verification = verifier.verify();

        assertThat(verification.count(Kind.MALFORMED_RESPONSE)).isEqualTo(1);
        assertThat(verification.passed()).isFalse();
    }

    @Test
    void millionsOfIdsAcrossManyStreamsAreCheckedForDuplicates() {
        // 22 sequence bits: two million ids fit one millisecond of one worker.
        IdLayout wide = IdLayout.of(IdLayout.DEFAULT_EPOCH, 41, 0, 22);
        IdVerifier verifier = new IdVerifier(wide, 1, T, TOLERANCE);
        int streams = 16;
        int perStream = 125_000;
        long base = wide.compose(T - wide.epochMillis(), 0, 0);
        for (int s = 0; s < streams; s++) {
            IdVerifier.Stream stream = verifier.newStream();
            long[] ids = new long[perStream];
            for (int i = 0; i < perStream; i++) {
                ids[i] = base + (long) i * streams + s; // interleaved, all distinct
            }
            stream.accept(0, T, T + 1_000_000, ids);
        }
        long[] planted = { base + 7L * streams + 3 };
        verifier.newStream().accept(0, T, T + 1_000_000, planted);

        Verification verification = verifier.verify();

        assertThat(verification.ids()).isEqualTo((long) streams * perStream + 1);
        assertThat(verification.duplicates()).isEqualTo(1);
        assertThat(verification.violationCounts()).containsOnlyKeys(Kind.DUPLICATE);
    }

}
