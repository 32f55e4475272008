package dev.idgen.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Property: for every layout and every in-range field value, compose then parse gives the
 * fields back, and ids order like (timestamp, worker, sequence). Values are drawn from a
 * seeded generator biased to the edges of each field; the seed is printed on failure so a
 * failure can be replayed.
 */
class ParseRoundTripTests {

    private static final int SAMPLES = 200_000;

    @ParameterizedTest
    @CsvSource({ "41, 10, 12", "41, 0, 22", "39, 12, 12", "63, 0, 0", "1, 31, 31", "32, 16, 15" })
    void composeThenParseGivesTheFieldsBackAcrossTheWholeIdSpace(int timestampBits, int workerIdBits,
            int sequenceBits) {
        IdLayout layout = IdLayout.of(Instant.EPOCH, timestampBits, workerIdBits, sequenceBits);
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < SAMPLES; i++) {
            long timestamp = edgeBiased(random, layout.maxTimestamp());
            int workerId = (int) edgeBiased(random, layout.maxWorkerId());
            int sequence = (int) edgeBiased(random, layout.maxSequence());

            long id = layout.compose(timestamp, workerId, sequence);
            IdParts parts = layout.parse(id);

            assertThat(id).as("seed %d", seed).isNotNegative();
            assertThat(parts.timestampField()).as("seed %d", seed).isEqualTo(timestamp);
            assertThat(parts.workerId()).as("seed %d", seed).isEqualTo(workerId);
            assertThat(parts.sequence()).as("seed %d", seed).isEqualTo(sequence);
            assertThat(parts.epochMillis()).as("seed %d", seed).isEqualTo(layout.epochMillis() + timestamp);
        }
    }

    @ParameterizedTest
    @CsvSource({ "41, 10, 12", "41, 0, 22", "32, 16, 15" })
    void idsOrderByTimestampThenWorkerThenSequence(int timestampBits, int workerIdBits, int sequenceBits) {
        IdLayout layout = IdLayout.of(IdLayout.DEFAULT_EPOCH, timestampBits, workerIdBits, sequenceBits);
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < SAMPLES; i++) {
            long t1 = edgeBiased(random, layout.maxTimestamp());
            long t2 = random.nextBoolean() ? t1 : edgeBiased(random, layout.maxTimestamp());
            int w1 = (int) edgeBiased(random, layout.maxWorkerId());
            int w2 = random.nextBoolean() ? w1 : (int) edgeBiased(random, layout.maxWorkerId());
            int s1 = (int) edgeBiased(random, layout.maxSequence());
            int s2 = (int) edgeBiased(random, layout.maxSequence());

            int expected = t1 != t2 ? Long.compare(t1, t2)
                    : w1 != w2 ? Integer.compare(w1, w2) : Integer.compare(s1, s2);
            int actual = Long.compare(layout.compose(t1, w1, s1), layout.compose(t2, w2, s2));
            assertThat(Integer.signum(actual)).as("seed %d", seed).isEqualTo(Integer.signum(expected));
        }
    }

    /**
     * A value in [0, max]: a third of the time an edge (0, 1, max-1, max), else uniform
     * over a random bit length.
     */
    static long edgeBiased(SplittableRandom random, long max) {
        if (max == 0) {
            return 0;
        }
        switch (random.nextInt(6)) {
            case 0:
                return 0;
            case 1:
                return max;
            case 2:
                return Math.max(0, max - 1 - random.nextInt(2));
            default:
                int bits = 64 - Long.numberOfLeadingZeros(max);
                long bound = bits == 63 ? Long.MAX_VALUE : (1L << (1 + random.nextInt(bits)));
                return Math.min(max, random.nextLong(bound));
        }
    }

}
