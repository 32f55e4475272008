package dev.idgen.core.codec;

import org.jspecify.annotations.Nullable;

/**
 * Text that is not a valid id in the expected {@link IdFormat}. The message says what is
 * wrong.
 */
public final class InvalidIdException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Longest input echoed back in a message, so hostile input cannot bloat logs or
     * responses.
     */
    private static final int MAX_ECHO = 40;

    private final transient IdFormat format;

    InvalidIdException(IdFormat format, @Nullable String input, String problem) {
        super(format.formatName() + " id " + quote(input) + " " + problem);
        this.format = format;
    }

    /** The format the input was decoded as. */
    public IdFormat format() {
        return format;
    }

    private static String quote(@Nullable String input) {
        if (input == null) {
            return "null";
        }
        String shown = input.length() > MAX_ECHO ? input.substring(0, MAX_ECHO) + "…" : input;
        StringBuilder sb = new StringBuilder("'");
        shown.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                sb.append(String.format("\\u%04x", cp));
            }
            else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('\'').toString();
    }

}
