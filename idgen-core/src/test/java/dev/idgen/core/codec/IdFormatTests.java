package dev.idgen.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class IdFormatTests {

    private static final int SAMPLES = 200_000;

    @ParameterizedTest
    @EnumSource(IdFormat.class)
    void everyIdRoundTripsThroughEveryFormat(IdFormat format) {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < SAMPLES; i++) {
            long id = anyId(random);
            String text = format.encode(id);
            assertThat(format.decode(text)).as("seed %d, id %d, text %s", seed, id, text).isEqualTo(id);
            if (format.fixedLength() > 0) {
                assertThat(text).as("seed %d", seed).hasSize(format.fixedLength());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(IdFormat.class)
    void encodingIntoBytesWritesExactlyTheCharactersOfTheString(IdFormat format) {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[24];
        long[] edges = { 0, 9, 10, 99, 100, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE };
        for (int i = 0; i < SAMPLES + edges.length; i++) {
            long id = (i < edges.length) ? edges[i] : anyId(random);
            String text = format.encode(id);
            java.util.Arrays.fill(buffer, (byte) '#');
            int end = format.encodeTo(id, buffer, 2);
            assertThat(format.encodedLength(id)).as("seed %d, id %d", seed, id).isEqualTo(text.length());
            assertThat(end).as("seed %d, id %d", seed, id).isEqualTo(2 + text.length());
            assertThat(new String(buffer, java.nio.charset.StandardCharsets.US_ASCII)).as("seed %d, id %d", seed, id)
                .isEqualTo("##" + text + "#".repeat(buffer.length - 2 - text.length()));
        }
    }

    @Test
    void encodingIntoTooSmallABufferFailsWithoutWritingPastIt() {
        byte[] buffer = new byte[5];
        assertThatExceptionOfType(IndexOutOfBoundsException.class)
            .isThrownBy(() -> IdFormat.DECIMAL.encodeTo(123456, buffer, 0));
        assertThatExceptionOfType(IndexOutOfBoundsException.class)
            .isThrownBy(() -> IdFormat.HEX.encodeTo(1, new byte[20], 5));
        assertThat(buffer).containsOnly(0);
        assertThatIllegalArgumentException().isThrownBy(() -> IdFormat.BASE62.encodeTo(-1, new byte[20], 0));
    }

    @ParameterizedTest
    @EnumSource(value = IdFormat.class, names = { "HEX", "BASE62", "BASE32" })
    void fixedWidthFormatsSortAsTextInNumericOrder(IdFormat format) {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < SAMPLES; i++) {
            long a = anyId(random);
            long b = random.nextInt(4) == 0 ? a + random.nextInt(3) - 1 : anyId(random);
            if (b < 0) {
                continue;
            }
            assertThat(Integer.signum(format.encode(a).compareTo(format.encode(b)))).as("seed %d, %d vs %d", seed, a, b)
                .isEqualTo(Integer.signum(Long.compare(a, b)));
        }
    }

    @ParameterizedTest
    @CsvSource({ "DECIMAL, 0, 0", "DECIMAL, 9223372036854775807, 9223372036854775807", "HEX, 0, 0000000000000000",
            "HEX, 9223372036854775807, 7fffffffffffffff", "HEX, 255, 00000000000000ff", "BASE62, 0, 00000000000",
            "BASE62, 61, 0000000000z", "BASE62, 62, 00000000010", "BASE62, 9223372036854775807, AzL8n0Y58m7",
            "BASE32, 0, 0000000000000", "BASE32, 31, 000000000000Z", "BASE32, 9223372036854775807, 7ZZZZZZZZZZZZ", })
    void encodesKnownValues(IdFormat format, long id, String text) {
        assertThat(format.encode(id)).isEqualTo(text);
        assertThat(format.decode(text)).isEqualTo(id);
    }

    @Test
    void hexAndCrockfordDecodingAcceptTheirDocumentedAliases() {
        assertThat(IdFormat.HEX.decode("00000000000000FF")).isEqualTo(255);
        assertThat(IdFormat.BASE32.decode("000000000000z")).isEqualTo(31);
        assertThat(IdFormat.BASE32.decode("000000000000I")).isEqualTo(1);
        assertThat(IdFormat.BASE32.decode("000000000000l")).isEqualTo(1);
        assertThat(IdFormat.BASE32.decode("00000000000O0")).isEqualTo(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "DECIMAL | ''                    | decimal id '' must not be empty",
            "DECIMAL | -1                    | decimal id '-1' has '-' at position 1, outside the decimal alphabet 0123456789",
            "DECIMAL | +1                    | has '+' at position 1",
            "DECIMAL | 12a                   | has 'a' at position 3",
            "DECIMAL | 9223372036854775808   | decimal id '9223372036854775808' is beyond the largest id 9223372036854775807",
            "DECIMAL | 9999999999999999999   | is beyond the largest id",
            "DECIMAL | 12345678901234567890  | must be at most 19 digits",
            "HEX     | 7fffffffffffffff0     | hex id '7fffffffffffffff0' must be exactly 16 characters, but has 17",
            "HEX     | 8000000000000000      | is beyond the largest id 7fffffffffffffff",
            "HEX     | 000000000000000g      | has 'g' at position 16",
            "BASE62  | AzL8n0Y58m8           | is beyond the largest id AzL8n0Y58m7",
            "BASE62  | 0000000000-           | has '-' at position 11",
            "BASE62  | 0000000000            | must be exactly 11 characters, but has 10",
            "BASE32  | 8000000000000         | is beyond the largest id 7ZZZZZZZZZZZZ",
            "BASE32  | 000000000000U         | has 'U' at position 13",
            "BASE32  | 00000000000000        | must be exactly 13 characters, but has 14", })
    void invalidTextFailsSayingWhatIsWrong(IdFormat format, String text, String message) {
        assertThatExceptionOfType(InvalidIdException.class).isThrownBy(() -> format.decode(text))
            .withMessageContaining(message)
            .satisfies(e -> assertThat(e.format()).isEqualTo(format));
    }

    @Test
    void hostileInputIsNeitherEchoedInFullNorWithControlCharacters() {
        String hostile = "1".repeat(10_000) + "\n\u0000";
        assertThatExceptionOfType(InvalidIdException.class).isThrownBy(() -> IdFormat.BASE62.decode(hostile))
            .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200).doesNotContain("\n", "\u0000"));
        assertThatExceptionOfType(InvalidIdException.class).isThrownBy(() -> IdFormat.DECIMAL.decode("12\u00003"))
            .withMessageContaining("\\u0000");
        assertThatExceptionOfType(InvalidIdException.class).isThrownBy(() -> IdFormat.DECIMAL.decode("١٢٣")) // Arabic-Indic
                                                                                                             // digits
                                                                                                             // are
                                                                                                             // not
                                                                                                             // ASCII
                                                                                                             // digits
            .withMessageContaining("outside the decimal alphabet");
    }

    @Test
    void negativeIdsCannotBeEncoded() {
        assertThatIllegalArgumentException().isThrownBy(() -> IdFormat.HEX.encode(-1))
            .withMessage("id must not be negative, but was -1");
    }

    @Test
    void formatsAreFoundByNameIgnoringCase() {
        assertThat(IdFormat.fromName("Base62")).isEqualTo(IdFormat.BASE62);
        assertThat(IdFormat.fromName("hex")).isEqualTo(IdFormat.HEX);
        assertThatIllegalArgumentException().isThrownBy(() -> IdFormat.fromName("base64"))
            .withMessage("format must be one of decimal, hex, base62, base32, but was 'base64'");
        assertThatIllegalArgumentException().isThrownBy(() -> IdFormat.fromName(null))
            .withMessageContaining("but was 'null'");
    }

    /**
     * Any non-negative long, uniform over bit lengths so that short and long encodings
     * are both covered.
     */
    private static long anyId(SplittableRandom random) {
        int bits = random.nextInt(64);
        return bits == 0 ? 0 : bits == 63 ? random.nextLong(Long.MAX_VALUE) + (random.nextInt(50) == 0 ? 1 : 0)
                : random.nextLong(1L << bits);
    }

}
