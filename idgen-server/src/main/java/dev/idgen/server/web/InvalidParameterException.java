package dev.idgen.server.web;

import org.jspecify.annotations.Nullable;

/**
 * A request parameter (query or path) that is missing, duplicated, unknown or malformed.
 * Becomes a 400 problem that names the parameter.
 */
public final class InvalidParameterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Longest input echoed back in a detail, so hostile input cannot bloat responses or
     * logs.
     */
    private static final int MAX_ECHO = 40;

    private final String parameter;

    /**
     * @param parameter the parameter's name as the API documents it
     * @param detail a sentence saying what is wrong and what is allowed
     */
    public InvalidParameterException(String parameter, @Nullable String detail) {
        // Client mistakes are expected; no stack trace to fill.
        super(detail, null, false, false);
        this.parameter = parameter;
    }

    /** The parameter's name. */
    public String parameter() {
        return parameter;
    }

    /** {@code input} shortened and with control characters escaped, safe to echo back. */
    static String shorten(@Nullable String input) {
        String quoted = quote(input);
        return input == null ? quoted : quoted.substring(1, quoted.length() - 1);
    }

    /**
     * {@code input} quoted, shortened and with control characters escaped, safe to echo
     * back.
     */
    static String quote(@Nullable String input) {
        if (input == null) {
            return "nothing";
        }
        String shown = input.length() > MAX_ECHO ? input.substring(0, MAX_ECHO) + "…" : input;
        StringBuilder quoted = new StringBuilder(shown.length() + 2).append('\'');
        shown.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                quoted.append(String.format("\\u%04x", cp));
            }
            else {
                quoted.appendCodePoint(cp);
            }
        });
        return quoted.append('\'').toString();
    }

}
