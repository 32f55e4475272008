package dev.idgen.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes zip entries for the tests of the executable jar's build steps and launcher: a
 * stored entry (as Spring Boot's nested jars must be) gets its size and CRC up front.
 */
public final class ZipEntries {

    private ZipEntries() {
    }

    /** Writes one entry with {@code method} ({@link ZipEntry#STORED} or DEFLATED). */
    public static void put(ZipOutputStream out, String name, byte[] bytes, int method, FileTime time)
            throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setLastModifiedTime(time);
        entry.setMethod(method);
        if (method == ZipEntry.STORED) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            entry.setSize(bytes.length);
            entry.setCompressedSize(bytes.length);
            entry.setCrc(crc.getValue());
        }
        out.putNextEntry(entry);
        out.write(bytes);
        out.closeEntry();
    }

    /** A jar's bytes: {@code entries} (name to content), deflated, in their order. */
    public static byte[] zip(Map<String, byte[]> entries, FileTime time) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                put(out, entry.getKey(), entry.getValue(), ZipEntry.DEFLATED, time);
            }
        }
        return bytes.toByteArray();
    }

}
