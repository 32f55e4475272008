package dev.idgen.server.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The query parameters of one request, read strictly from the raw query string.
 *
 * <p>
 * Read here rather than through the servlet container so that every malformed query (bad
 * percent-encoding, invalid UTF-8, a parameter given twice, an unknown parameter) becomes
 * a 400 that names the parameter, instead of being silently dropped, joined with commas,
 * or failing inside the container. A request without a query string costs nothing.
 */
final class QueryParameters {

    private final String[] names;

    private final @Nullable String[] values;

    private QueryParameters(String[] names, @Nullable String[] values) {
        this.names = names;
        this.values = values;
    }

    /**
     * Parses {@code rawQuery} (as {@code HttpServletRequest.getQueryString()} returns it:
     * still percent-encoded), accepting only the {@code allowed} names, each at most
     * once.
     * @throws InvalidParameterException naming the parameter that is unknown, duplicated
     * or badly encoded
     */
    static QueryParameters parse(@Nullable String rawQuery, String... allowed) {
        @Nullable String[] values = new String[allowed.length];
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new QueryParameters(allowed, values);
        }
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            if (end > start) { // empty pieces ("a=1&&b=2", a trailing '&') carry nothing
                int eq = rawQuery.indexOf('=', start);
                boolean hasValue = eq >= 0 && eq < end;
                String rawName = rawQuery.substring(start, hasValue ? eq : end);
                String name = decode(rawName, null);
                if (name == null) {
                    throw new InvalidParameterException(InvalidParameterException.shorten(rawName),
                            "query parameter name " + InvalidParameterException.quote(rawName)
                                    + " is not valid percent-encoded UTF-8");
                }
                int index = indexOf(allowed, name);
                if (index < 0) {
                    throw new InvalidParameterException(InvalidParameterException.shorten(name),
                            "unknown query parameter " + InvalidParameterException.quote(name)
                                    + "; this endpoint accepts "
                                    + (allowed.length == 0 ? "none" : String.join(", ", allowed)));
                }
                if (values[index] != null) {
                    throw new InvalidParameterException(name, name + " must be given at most once");
                }
                String rawValue = hasValue ? rawQuery.substring(eq + 1, end) : "";
                String value = decode(rawValue, name);
                values[index] = value;
            }
            start = end + 1;
        }
        return new QueryParameters(allowed, values);
    }

    /** The decoded value of {@code name}, or {@code null} when absent. */
    @Nullable String get(String name) {
        int index = indexOf(names, name);
        if (index < 0) {
            throw new IllegalArgumentException(name + " was not declared");
        }
        return values[index];
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Decodes {@code application/x-www-form-urlencoded} text strictly. Returns
     * {@code null} for bad input when {@code parameter} is {@code null}; otherwise throws
     * naming the parameter.
     */
    private static @Nullable String decode(String raw, @Nullable String parameter) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            }
            else if (c == '%') {
                int high = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    return malformed(parameter, "has a '%' not followed by two hex digits");
                }
                bytes.write((high << 4) | low);
                i += 2;
            }
            else if (c < 0x80) {
                bytes.write(c);
            }
            else {
                // The container hands over the raw query as ISO-8859-1 chars; anything
                // above ASCII was
                // not percent-encoded as RFC 3986 requires.
                return malformed(parameter, "has a character that is not percent-encoded");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray()))
                .toString();
        }
        catch (CharacterCodingException e) {
            return malformed(parameter, "is not valid UTF-8 once percent-decoded");
        }
    }

    private static @Nullable String malformed(@Nullable String parameter, String problem) {
        if (parameter == null) {
            return null;
        }
        throw new InvalidParameterException(parameter, parameter + " " + problem);
    }

}
