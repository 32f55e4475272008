package dev.idgen.bench.load;

/**
 * Reads the ids out of the server's JSON: {@code {"id":"123"}} from {@code GET /ids} and
 * {@code {"ids":["1","2"]}} from {@code GET /ids/batch}. Ids may be JSON strings (as the
 * server sends them, because JavaScript cannot hold a 64-bit integer) or numbers; other
 * members are skipped. A small hand-written reader keeps the tool free of a JSON library
 * and fast enough for millions of ids.
 */
final class IdResponseParser {

    private final String json;

    private int pos;

    private IdResponseParser(String json) {
        this.json = json;
    }

    /**
     * The ids of a response.
     * @param key {@code "id"} for a single id, {@code "ids"} for a batch
     * @throws IllegalArgumentException if the body is not a JSON object holding that
     * member with non-negative decimal ids
     */
    static long[] parse(String json, String key) {
        return new IdResponseParser(json).readIds(key);
    }

    private long[] readIds(String key) {
        long[] found = null;
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            throw error("member \"" + key + "\" is missing");
        }
        while (true) {
            skipSpace();
            String name = readString();
            skipSpace();
            expect(':');
            skipSpace();
            if (name.equals(key)) {
                found = key.equals("ids") ? readIdArray() : new long[] { readId() };
            }
            else {
                skipValue();
            }
            skipSpace();
            char c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
        if (found == null) {
            throw error("member \"" + key + "\" is missing");
        }
        return found;
    }

    private long[] readIdArray() {
        expect('[');
        LongList ids = new LongList();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return new long[0];
        }
        while (true) {
            skipSpace();
            ids.add(readId());
            skipSpace();
            char c = next();
            if (c == ']') {
                break;
            }
            if (c != ',') {
                throw error("expected ',' or ']'");
            }
        }
        return ids.toArray();
    }

    private long readId() {
        String text = peek() == '"' ? readString() : readNumberText();
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw error("id \"" + text + "\" is not a non-negative decimal number");
        }
        try {
            return Long.parseLong(text);
        }
        catch (NumberFormatException e) {
            throw error("id \"" + text + "\" does not fit a 64-bit signed integer");
        }
    }

    private String readNumberText() {
        int start = pos;
        while (pos < json.length() && "+-0123456789.eE".indexOf(json.charAt(pos)) >= 0) {
            pos++;
        }
        return json.substring(start, pos);
    }

    private String readString() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                char escaped = next();
                if (escaped == 'u') {
                    if (pos + 4 > json.length()) {
                        throw error("truncated \\u escape");
                    }
                    out.append((char) Integer.parseInt(json.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                else {
                    out.append(switch (escaped) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        default -> escaped;
                    });
                }
            }
            else {
                out.append(c);
            }
        }
    }

    private void skipValue() {
        char c = peek();
        switch (c) {
            case '"' -> readString();
            case '{', '[' -> {
                char close = c == '{' ? '}' : ']';
                pos++;
                skipSpace();
                if (peek() == close) {
                    pos++;
                    return;
                }
                while (true) {
                    skipSpace();
                    if (close == '}') {
                        readString();
                        skipSpace();
                        expect(':');
                        skipSpace();
                    }
                    skipValue();
                    skipSpace();
                    char after = next();
                    if (after == close) {
                        return;
                    }
                    if (after != ',') {
                        throw error("expected ',' or '" + close + "'");
                    }
                }
            }
            default -> {
                int start = pos;
                while (pos < json.length() && ",}] \t\r\n".indexOf(json.charAt(pos)) < 0) {
                    pos++;
                }
                if (start == pos) {
                    throw error("expected a value");
                }
            }
        }
    }

    private void skipSpace() {
        while (pos < json.length() && Character.isWhitespace(json.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= json.length()) {
            throw error("unexpected end");
        }
        return json.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        String shown = json.length() > 200 ? json.substring(0, 200) + "..." : json;
        return new IllegalArgumentException(what + " at offset " + pos + " in " + shown);
    }

}
