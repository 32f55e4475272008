package dev.idgen.core.codec;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Text forms of an id. The fixed-width forms ({@link #HEX}, {@link #BASE62},
 * {@link #BASE32}) pad with leading zeros and use alphabets in ASCII order, so their
 * string order equals the ids' numeric order (sort them as text, get time order).
 * {@link #DECIMAL} is the plain {@code long} and is not fixed-width.
 *
 * <p>
 * Ids are never negative, so every form covers exactly 0 to {@link Long#MAX_VALUE}.
 * Decoding checks length, alphabet and range and throws {@link InvalidIdException} saying
 * which failed.
 */
public enum IdFormat {

    /**
     * Plain decimal digits, no sign, no leading zeros needed: {@code 7234891234567890}.
     */
    DECIMAL("decimal", 0, "0123456789"),

    /**
     * 16 lower-case hex digits: {@code 0019b4a5c2d3e4f1}. Upper case is accepted when
     * decoding.
     */
    HEX("hex", 16, "0123456789abcdef"),

    /**
     * 11 characters of {@code 0-9A-Za-z} (ASCII order): {@code 00XGwH7wGF0}.
     * Case-sensitive.
     */
    BASE62("base62", 11, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),

    /**
     * 13 characters of Crockford's base32 ({@code 0-9A-Z} without I, L, O, U):
     * {@code 00CV9A9GRQ4Y2}. Decoding is case-insensitive and reads I and L as 1 and O as
     * 0, as Crockford specifies.
     */
    BASE32("base32", 13, "0123456789ABCDEFGHJKMNPQRSTVWXYZ");

    private final String formatName;

    private final int length;

    // Private, filled once in the constructor, never handed out.
    @SuppressWarnings("ImmutableEnumChecker")
    private final char[] alphabet;

    private final int radix;

    // Private, filled once in the constructor, never handed out.
    @SuppressWarnings("ImmutableEnumChecker")
    private final byte[] values = new byte[128];

    IdFormat(String formatName, int length, String alphabet) {
        this.formatName = formatName;
        this.length = length;
        this.alphabet = alphabet.toCharArray();
        this.radix = alphabet.length();
        java.util.Arrays.fill(values, (byte) -1);
        for (int i = 0; i < this.alphabet.length; i++) {
            values[this.alphabet[i]] = (byte) i;
        }
        if (formatName.equals("hex")) {
            for (int i = 10; i < 16; i++) {
                values[Character.toUpperCase(this.alphabet[i])] = (byte) i;
            }
        }
        else if (formatName.equals("base32")) {
            for (int i = 10; i < 32; i++) {
                values[Character.toLowerCase(this.alphabet[i])] = (byte) i;
            }
            values['I'] = values['i'] = values['L'] = values['l'] = 1;
            values['O'] = values['o'] = 0;
        }
    }

    /**
     * The name used in APIs and configuration: {@code decimal}, {@code hex},
     * {@code base62}, {@code base32}.
     */
    public String formatName() {
        return formatName;
    }

    /** Characters in every encoded id, or 0 for the variable-width {@link #DECIMAL}. */
    public int fixedLength() {
        return length;
    }

    /** The format with the given name, ignoring case. */
    public static IdFormat fromName(@Nullable String name) {
        if (name != null) {
            for (IdFormat format : values()) {
                if (format.formatName.equalsIgnoreCase(name.trim())) {
                    return format;
                }
            }
        }
        throw new IllegalArgumentException(
                "format must be one of decimal, hex, base62, base32, but was '" + name + "'");
    }

    /**
     * Encodes an id.
     * @throws IllegalArgumentException if the id is negative
     */
    public String encode(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("id must not be negative, but was " + id);
        }
        if (this == DECIMAL) {
            return Long.toString(id);
        }
        char[] out = new char[length];
        long rest = id;
        for (int i = length - 1; i >= 0; i--) {
            out[i] = alphabet[(int) (rest % radix)];
            rest /= radix;
        }
        return new String(out);
    }

    /**
     * Characters in the id's text form: {@link #fixedLength()}, or for {@link #DECIMAL}
     * the number of its digits.
     * @throws IllegalArgumentException if the id is negative
     */
    public int encodedLength(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("id must not be negative, but was " + id);
        }
        if (this != DECIMAL) {
            return length;
        }
        int digits = 1;
        // Stops at 19 digits, the most a long has, before the power of ten overflows.
        for (long power = 10; digits < 19 && id >= power; power *= 10) {
            digits++;
        }
        return digits;
    }

    /**
     * Writes the characters of {@link #encode(long)} as ASCII bytes into
     * {@code destination} from {@code offset}, without building a string: for writing
     * many ids straight into a buffer.
     * @return the offset after the last byte written
     * @throws IllegalArgumentException if the id is negative
     * @throws IndexOutOfBoundsException if fewer than {@link #encodedLength(long)} bytes
     * remain from {@code offset}
     */
    public int encodeTo(long id, byte[] destination, int offset) {
        int end = offset + encodedLength(id);
        java.util.Objects.checkFromToIndex(offset, end, destination.length);
        long rest = id;
        for (int i = end - 1; i >= offset; i--) {
            destination[i] = (byte) alphabet[(int) (rest % radix)];
            rest /= radix;
        }
        return end;
    }

    /**
     * Decodes an id written in this format.
     * @throws InvalidIdException naming what is wrong: empty, wrong length, a character
     * outside the alphabet, or a value beyond {@link Long#MAX_VALUE}
     */
    public long decode(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidIdException(this, text, "must not be empty");
        }
        if (this == DECIMAL) {
            if (text.length() > 19) {
                throw new InvalidIdException(this, text, "must be at most 19 digits (0 to " + Long.MAX_VALUE + ")");
            }
        }
        else if (text.length() != length) {
            throw new InvalidIdException(this, text,
                    "must be exactly " + length + " characters, but has " + text.length());
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int digit = c < 128 ? values[c] : -1;
            if (digit < 0) {
                throw new InvalidIdException(this, text, "has '" + printable(c) + "' at position " + (i + 1)
                        + ", outside the " + formatName + " alphabet " + new String(alphabet));
            }
            if (value > (Long.MAX_VALUE - digit) / radix) {
                throw new InvalidIdException(this, text, "is beyond the largest id " + encodeOrDecimal());
            }
            value = value * radix + digit;
        }
        return value;
    }

    private String encodeOrDecimal() {
        return encode(Long.MAX_VALUE);
    }

    private static String printable(char c) {
        return Character.isISOControl(c) || Character.isWhitespace(c) ? String.format(Locale.ROOT, "\\u%04x", (int) c)
                : String.valueOf(c);
    }

}
