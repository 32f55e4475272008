package dev.idgen.server.launch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.jspecify.annotations.Nullable;

/**
 * Which entries of an executable jar's class path hold classes of each package, as
 * positions on that class path in its order.
 *
 * <p>
 * The build writes it ({@code NestedJarIndex}) as text: a {@code fingerprint} line, then
 * each class path entry's name ({@code BOOT-INF/classes/}, {@code BOOT-INF/lib/<jar>})
 * followed by its packages, one per line, indented by two spaces, with {@code /} between
 * the names ({@code .} for the unnamed package). Versioned entries of a multi-release jar
 * count for the package of their path without the version prefix. A class can only be in
 * an entry that holds its package, so looking only there, in class path order, finds the
 * same copy as looking everywhere.
 */
final class NestedJarClassIndex {

    /** Where the index is, in the executable jar's root. */
    static final String LOCATION = "META-INF/idgen/nested-jar-classes.idx";

    private static final String FINGERPRINT = "fingerprint ";

    private static final String PACKAGE_INDENT = "  ";

    private final Map<String, int[]> sourcesByPackage;

    private NestedJarClassIndex(Map<String, int[]> sourcesByPackage) {
        this.sourcesByPackage = sourcesByPackage;
    }

    /**
     * The class path positions that may hold an entry, in class path order, or
     * {@code null} if no entry of the class path holds classes of its package.
     * @param entryName a class file's name, such as {@code org/example/Foo.class}
     */
    int @Nullable [] sourcesOf(String entryName) {
        int slash = entryName.lastIndexOf('/');
        return this.sourcesByPackage.get((slash < 0) ? "" : entryName.substring(0, slash));
    }

    /**
     * Reads the index of {@code root} for {@code classPath}.
     * @return the index, or {@code null} if the jar has none
     * @throws IllegalArgumentException if the jar's contents or the class path do not
     * match the index
     */
    static @Nullable NestedJarClassIndex read(ZipFile root, URL[] classPath) throws IOException {
        ZipEntry entry = root.getEntry(LOCATION);
        if (entry == null) {
            return null;
        }
        String text;
        try (InputStream in = root.getInputStream(entry)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return parse(text, fingerprint(root), classPath);
    }

    /**
     * Parses an index written for a jar whose fingerprint is {@code fingerprint}.
     * @throws IllegalArgumentException if the fingerprints differ, or if the index does
     * not name every entry of {@code classPath} and nothing else
     */
    static NestedJarClassIndex parse(String text, String fingerprint, URL[] classPath) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < classPath.length; i++) {
            positions.put(sourceName(classPath[i]), i);
        }
        Map<String, int[]> sourcesByPackage = new HashMap<>(4096);
        boolean[] indexed = new boolean[classPath.length];
        String indexFingerprint = null;
        int source = -1;
        for (String line : (Iterable<String>) text.lines()::iterator) {
            if (line.startsWith(PACKAGE_INDENT)) {
                if (source < 0) {
                    throw new IllegalArgumentException("the index lists a package before any class path entry");
                }
                String name = line.substring(PACKAGE_INDENT.length());
                sourcesByPackage.merge(name.equals(".") ? "" : name, new int[] { source }, NestedJarClassIndex::union);
            }
            else if (line.startsWith(FINGERPRINT)) {
                indexFingerprint = line.substring(FINGERPRINT.length());
            }
            else if (!line.isEmpty() && !line.startsWith("#")) {
                Integer position = positions.get(line);
                if (position == null) {
                    throw new IllegalArgumentException("the index names " + line + ", which is not on the class path");
                }
                source = position;
                indexed[source] = true;
            }
        }
        if (!fingerprint.equals(indexFingerprint)) {
            throw new IllegalArgumentException(
                    "the jar's BOOT-INF has changed since the index was written: fingerprint " + fingerprint
                            + ", index " + indexFingerprint);
        }
        for (int i = 0; i < indexed.length; i++) {
            if (!indexed[i]) {
                throw new IllegalArgumentException("the index does not name " + classPath[i]);
            }
        }
        return new NestedJarClassIndex(Collections.unmodifiableMap(sourcesByPackage));
    }

    /**
     * A checksum of the names, sizes and CRCs of every entry under {@code BOOT-INF/}, in
     * the jar's order: the build's {@code NestedJarIndex} computes the same.
     */
    static String fingerprint(ZipFile jar) {
        CRC32 crc = new CRC32();
        jar.stream().filter((entry) -> entry.getName().startsWith("BOOT-INF/")).forEachOrdered((entry) -> {
            String line = entry.getName() + ' ' + entry.getSize() + ' ' + entry.getCrc() + '\n';
            crc.update(line.getBytes(StandardCharsets.UTF_8));
        });
        return Long.toHexString(crc.getValue());
    }

    /**
     * The name a class path URL gives its entry: {@code BOOT-INF/lib/x.jar} for
     * {@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/}.
     */
    static String sourceName(URL url) {
        String spec = url.toString();
        int start = spec.lastIndexOf("/!", spec.length() - 4);
        if (!spec.startsWith("jar:nested:") || !spec.endsWith("!/") || start < 0) {
            throw new IllegalArgumentException(url + " is not an entry of an executable jar");
        }
        return spec.substring(start + 2, spec.length() - 2);
    }

    private static int[] union(int[] sources, int[] more) {
        int[] all = Arrays.copyOf(sources, sources.length + more.length);
        System.arraycopy(more, 0, all, sources.length, more.length);
        Arrays.sort(all);
        return all;
    }

}
