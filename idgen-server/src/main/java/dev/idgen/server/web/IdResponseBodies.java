package dev.idgen.server.web;

import dev.idgen.core.codec.IdFormat;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bodies of the two issuing endpoints, written by hand: every id format is ASCII, and
 * a body of ids needs no JSON library.
 */
final class IdResponseBodies {

    /** The most bytes one id takes in a batch: 19 digits, two quotes and a comma. */
    private static final int MAX_ID_BYTES = 22;

    private static final int BATCH_BUFFER_SIZE = 8192;

    private static final byte[] JSON_BATCH_START = "{\"ids\":[".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] JSON_BATCH_END = "]}".getBytes(StandardCharsets.US_ASCII);

    private IdResponseBodies() {
    }

    /**
     * Writes a batch straight from the ids into a small buffer and out, without a string
     * per id or for the body: a batch of 4,096 used to allocate about half a megabyte,
     * which under load is what made the heap grow.
     */
    static void writeBatch(HttpServletResponse response, long[] ids, IdFormat format, boolean text) throws IOException {
        // {"ids":["a","b"]} is 9 bytes plus each id's length plus 3 (two quotes, and a
        // comma or the closing bracket); text is each id's length plus a newline.
        int length = text ? 0 : 9;
        for (long id : ids) {
            length += format.encodedLength(id) + (text ? 1 : 3);
        }
        response.setContentLength(length);
        OutputStream out = response.getOutputStream();
        byte[] buffer = new byte[Math.min(length, BATCH_BUFFER_SIZE)];
        int position = 0;
        if (!text) {
            position = put(buffer, position, JSON_BATCH_START);
        }
        for (int i = 0; i < ids.length; i++) {
            if (buffer.length - position < MAX_ID_BYTES) {
                out.write(buffer, 0, position);
                position = 0;
            }
            if (text) {
                position = format.encodeTo(ids[i], buffer, position);
                buffer[position++] = '\n';
            }
            else {
                if (i > 0) {
                    buffer[position++] = ',';
                }
                buffer[position++] = '"';
                position = format.encodeTo(ids[i], buffer, position);
                buffer[position++] = '"';
            }
        }
        if (!text) {
            if (buffer.length - position < JSON_BATCH_END.length) {
                out.write(buffer, 0, position);
                position = 0;
            }
            position = put(buffer, position, JSON_BATCH_END);
        }
        out.write(buffer, 0, position);
    }

    private static int put(byte[] buffer, int position, byte[] bytes) {
        System.arraycopy(bytes, 0, buffer, position, bytes.length);
        return position + bytes.length;
    }

    static void write(HttpServletResponse response, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII); // every id format is
                                                                 // ASCII
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

}
