package dev.idgen.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The data of the lease's znodes: {@code key=value} lines in UTF-8, readable with
 * {@code zkCli get}. Values never contain line breaks (node names and hosts are
 * validated, numbers are numbers).
 */
final class ZnodeRecord {

    private final Map<String, String> fields;

    private ZnodeRecord(Map<String, String> fields) {
        this.fields = fields;
    }

    static ZnodeRecord create() {
        return new ZnodeRecord(new LinkedHashMap<>());
    }

    static ZnodeRecord parse(byte @Nullable [] data) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (data != null) {
            for (String line : new String(data, StandardCharsets.UTF_8).split("\n", -1)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    fields.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return new ZnodeRecord(fields);
    }

    ZnodeRecord with(String key, @Nullable Object value) {
        if (value != null) {
            String text = value.toString();
            if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                throw new IllegalArgumentException(key + " must not contain a line break");
            }
            fields.put(key, text);
        }
        return this;
    }

    @Nullable String text(String key) {
        return fields.get(key);
    }

    /** The number under {@code key}, or {@code absent} when missing or malformed. */
    long number(String key, long absent) {
        String value = fields.get(key);
        if (value == null) {
            return absent;
        }
        try {
            return Long.parseLong(value);
        }
        catch (NumberFormatException ex) {
            return absent;
        }
    }

    byte[] toBytes() {
        StringBuilder text = new StringBuilder();
        fields.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return fields.toString();
    }

}
