package dev.idgen.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdLayoutTests {

    private final IdLayout layout = IdLayout.defaults();

    @Test
    void defaultLayoutIsTheSeedsFortyOneTenTwelveFrom2020() {
        assertThat(layout.epoch()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(layout.epochMillis()).isEqualTo(1_577_836_800_000L);
        assertThat(layout.timestampBits()).isEqualTo(41);
        assertThat(layout.workerIdBits()).isEqualTo(10);
        assertThat(layout.sequenceBits()).isEqualTo(12);
    }

    @Test
    void defaultLayoutStatesItsLimits() {
        assertThat(layout.maxWorkerId()).isEqualTo(1023);
        assertThat(layout.maxSequence()).isEqualTo(4095);
        assertThat(layout.idsPerMillisecondPerWorker()).isEqualTo(4096);
        assertThat(layout.idsPerSecondPerWorker()).isEqualTo(4_096_000);
        assertThat(layout.maxTimestamp()).isEqualTo((1L << 41) - 1);
        // 2^41 ms after 2020-01-01 is about 69.7 years later.
        assertThat(layout.lastInstant()).isEqualTo(Instant.parse("2089-09-06T15:47:35.551Z"));
        assertThat(layout.lifetime()).isEqualTo(Duration.ofMillis(1L << 41));
    }

    @Test
    void composesTheSeedsExampleAndParsesItBack() {
        // The seeds' parsing diagram: 2024-10-27T12:00:00.123Z... is 1730000000123 ms,
        // worker 5, sequence 42.
        long timestamp = 1_730_000_000_123L - layout.epochMillis();
        long id = layout.compose(timestamp, 5, 42);

        assertThat(id).isEqualTo((timestamp << 22) | (5L << 12) | 42);
        IdParts parts = layout.parse(id);
        assertThat(parts.id()).isEqualTo(id);
        assertThat(parts.epochMillis()).isEqualTo(1_730_000_000_123L);
        assertThat(parts.timestamp()).isEqualTo(Instant.ofEpochMilli(1_730_000_000_123L));
        assertThat(parts.timestampField()).isEqualTo(timestamp);
        assertThat(parts.workerId()).isEqualTo(5);
        assertThat(parts.sequence()).isEqualTo(42);
    }

    @Test
    void largestFieldsComposeTheLargestPositiveLong() {
        long id = layout.compose(layout.maxTimestamp(), layout.maxWorkerId(), layout.maxSequence());

        assertThat(id).isEqualTo(Long.MAX_VALUE);
        IdParts parts = layout.parse(id);
        assertThat(parts.timestamp()).isEqualTo(layout.lastInstant());
        assertThat(parts.workerId()).isEqualTo(1023);
        assertThat(parts.sequence()).isEqualTo(4095);
    }

    @Test
    void smallestFieldsComposeZeroAtTheEpoch() {
        assertThat(layout.compose(0, 0, 0)).isZero();
        assertThat(layout.parse(0).timestamp()).isEqualTo(layout.epoch());
    }

    @Test
    void fieldsDoNotBleedIntoEachOther() {
        long id = layout.compose(1, 0, 0);
        assertThat(layout.parse(id)).extracting(IdParts::timestampField, IdParts::workerId, IdParts::sequence)
            .containsExactly(1L, 0, 0);
        id = layout.compose(0, 1, 0);
        assertThat(layout.parse(id)).extracting(IdParts::timestampField, IdParts::workerId, IdParts::sequence)
            .containsExactly(0L, 1, 0);
    }

    @ParameterizedTest
    @CsvSource({
            "41, 10, 11, 'timestampBits + workerIdBits + sequenceBits must be 63 (so every id is a positive long), but was 41 + 10 + 11 = 62'",
            "41, 10, 13, 'but was 41 + 10 + 13 = 64'", "0, 31, 31, 'timestampBits must be between 1 and 63, but was 0'",
            "41, -1, 23, 'workerIdBits must be between 0 and 31, but was -1'",
            "10, 21, 32, 'sequenceBits must be between 0 and 31, but was 32'",
            "20, 32, 11, 'workerIdBits must be between 0 and 31, but was 32'", })
    void invalidWidthsFailNamingTheValueAndTheRange(int timestampBits, int workerIdBits, int sequenceBits,
            String message) {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> IdLayout.of(IdLayout.DEFAULT_EPOCH, timestampBits, workerIdBits, sequenceBits))
            .withMessageContaining(message);
    }

    @Test
    void epochMustBeAWholeMillisecondAfter1970() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> IdLayout.of(Instant.parse("2020-01-01T00:00:00.000001Z"), 41, 10, 12))
            .withMessage("epoch must be a whole millisecond, but was 2020-01-01T00:00:00.000001Z");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> IdLayout.of(Instant.parse("1969-12-31T23:59:59Z"), 41, 10, 12))
            .withMessageContaining("epoch must be at or after 1970-01-01T00:00:00Z");
    }

    @Test
    void layoutWhoseLastInstantOverflowsALongIsRejected() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> IdLayout.of(Instant.ofEpochMilli(1_577_836_800_000L), 63, 0, 0))
            .withMessageContaining("overflows a long");
    }

    @Test
    void composeRejectsFieldsOutsideTheLayout() {
        assertThatIllegalArgumentException().isThrownBy(() -> layout.compose(-1, 0, 0))
            .withMessage("timestamp must be between 0 and 2199023255551, but was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> layout.compose(1L << 41, 0, 0))
            .withMessageContaining("timestamp must be between 0 and 2199023255551");
        assertThatIllegalArgumentException().isThrownBy(() -> layout.compose(0, 1024, 0))
            .withMessage("workerId must be between 0 and 1023 for 10 worker-id bits, but was 1024");
        assertThatIllegalArgumentException().isThrownBy(() -> layout.compose(0, 0, 4096))
            .withMessage("sequence must be between 0 and 4095, but was 4096");
    }

    @Test
    void parseRejectsNegativeIds() {
        assertThatIllegalArgumentException().isThrownBy(() -> layout.parse(-1))
            .withMessage("id must not be negative, but was -1");
    }

    @Test
    void layoutWithoutWorkerBitsGivesTheSequenceTwentyTwoBits() {
        IdLayout uncapped = IdLayout.of(IdLayout.DEFAULT_EPOCH, 41, 0, 22);

        assertThat(uncapped.maxWorkerId()).isZero();
        assertThat(uncapped.maxSequence()).isEqualTo((1 << 22) - 1);
        assertThat(uncapped.idsPerSecondPerWorker()).isEqualTo(4_194_304_000L);
        long id = uncapped.compose(7, 0, 99);
        assertThat(uncapped.parse(id)).extracting(IdParts::timestampField, IdParts::workerId, IdParts::sequence)
            .containsExactly(7L, 0, 99);
    }

    @Test
    void layoutsWithEqualSettingsAreEqual() {
        assertThat(IdLayout.of(IdLayout.DEFAULT_EPOCH, 41, 10, 12)).isEqualTo(layout).hasSameHashCodeAs(layout);
        assertThat(IdLayout.of(IdLayout.DEFAULT_EPOCH, 42, 9, 12)).isNotEqualTo(layout);
    }

}
