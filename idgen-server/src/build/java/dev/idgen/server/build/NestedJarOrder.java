package dev.idgen.server.build;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites an executable Spring Boot jar so that its nested libraries come in the order
 * of how many of the classes a start loads each one holds, the most first.
 *
 * <p>
 * Why: Spring Boot's class loader for an executable jar looks for every class in each
 * nested jar in turn, in the order of the jar's entries, building a URL and opening a
 * connection for each. A reproducible build ({@code project.build.outputTimestamp})
 * writes the libraries sorted by name, which puts {@code spring-*} and {@code tomcat-*},
 * where most classes of a start live, behind a hundred others. In that order a start of
 * idgen-server makes about 580,000 such look-ups; in this one about 140,000
 * (docs/benchmarks.md).
 *
 * <p>
 * The class list is the one {@code ClassPreloader} reads ({@value #CLASS_LIST}, one
 * binary class name per line), so it is regenerated with it. Ties keep the order they had
 * (by name, as a reproducible build writes them), so the result is as reproducible as the
 * input. Nothing else changes: every entry keeps its content, time and compression method
 * (the nested jars stay stored), and {@code classpath.idx} lists the libraries in the new
 * order. The class path order decides which copy of a class wins when two libraries hold
 * the same one; if the new order would change that for any class, the jar is left as it
 * was and the build fails, naming the class.
 *
 * <p>
 * Run by the build after {@code spring-boot:repackage}, with the JDK's source launcher:
 * {@code java NestedJarOrder.java target/idgen-server-<version>.jar}.
 */
public final class NestedJarOrder {

    /** Where the list of classes a start loads is, inside the executable jar. */
    static final String CLASS_LIST = "META-INF/idgen/preload-classes.txt";

    static final String LIBRARIES = "BOOT-INF/lib/";

    static final String CLASSPATH_INDEX = "BOOT-INF/classpath.idx";

    private NestedJarOrder() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java NestedJarOrder.java <executable jar>");
            System.exit(2);
        }
        System.out.println(rewrite(Path.of(args[0])));
    }

    /**
     * Rewrites {@code jar} in place with its libraries ordered, and says what it did.
     * @throws IllegalStateException if the jar has no class list, or if the new order
     * would change which library provides a class (the jar is then unchanged)
     */
    public static String rewrite(Path jar) throws IOException {
        List<String> libraries = new ArrayList<>();
        Map<String, Integer> listedClassCounts = new LinkedHashMap<>();
        Map<String, List<String>> providers = new LinkedHashMap<>();
        String classpathIndex;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry list = zip.getEntry(CLASS_LIST);
            if (list == null) {
                throw new IllegalStateException(jar + " has no " + CLASS_LIST);
            }
            Set<String> listed = listedClassEntries(read(zip, list));
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (isLibrary(entry)) {
                    libraries.add(entry.getName());
                    listedClassCounts.put(entry.getName(),
                            countClasses(read(zip, entry), entry.getName(), listed, providers));
                }
            }
            ZipEntry index = zip.getEntry(CLASSPATH_INDEX);
            classpathIndex = (index != null) ? new String(read(zip, index), StandardCharsets.UTF_8) : null;
        }
        List<String> ordered = order(libraries, listedClassCounts);
        checkProviders(providers, libraries, ordered);
        Path rewritten = Files.createTempFile(jar.toAbsolutePath().getParent(), jar.getFileName().toString(), ".tmp");
        try {
            write(jar, rewritten, ordered, classpathIndex);
            Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        finally {
            Files.deleteIfExists(rewritten);
        }
        return "Ordered the " + ordered.size() + " libraries of " + jar.getFileName()
                + " by classes a start loads from each: look-ups for the listed classes "
                + lookups(libraries, listedClassCounts) + " -> " + lookups(ordered, listedClassCounts);
    }

    /** The libraries, most listed classes first; ties in their original order. */
    static List<String> order(List<String> libraries, Map<String, Integer> listedClassCounts) {
        List<String> ordered = new ArrayList<>(libraries);
        ordered.sort(Comparator.comparing((String library) -> listedClassCounts.getOrDefault(library, 0)).reversed());
        return ordered;
    }

    /** How many jars a search in this order opens to find every listed class. */
    static long lookups(List<String> order, Map<String, Integer> listedClassCounts) {
        long lookups = 0;
        for (int i = 0; i < order.size(); i++) {
            lookups += (long) (i + 1) * listedClassCounts.getOrDefault(order.get(i), 0);
        }
        return lookups;
    }

    private static void checkProviders(Map<String, List<String>> providers, List<String> before, List<String> after) {
        for (Map.Entry<String, List<String>> entry : providers.entrySet()) {
            List<String> jars = entry.getValue();
            if (jars.size() > 1) {
                String first = Collections.min(jars, Comparator.comparingInt(before::indexOf));
                String firstAfter = Collections.min(jars, Comparator.comparingInt(after::indexOf));
                if (!first.equals(firstAfter)) {
                    throw new IllegalStateException(entry.getKey() + " is in " + jars + ": ordering the libraries "
                            + "would load it from " + firstAfter + " instead of " + first
                            + "; exclude one of the copies from the build");
                }
            }
        }
    }

    private static Set<String> listedClassEntries(byte[] list) {
        Set<String> entries = new HashSet<>();
        for (String line : new String(list, StandardCharsets.UTF_8).lines().toList()) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                entries.add(name.replace('.', '/') + ".class");
            }
        }
        return entries;
    }

    private static int countClasses(byte[] library, String libraryName, Set<String> listed,
            Map<String, List<String>> providers) throws IOException {
        int count = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(library))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                    continue;
                }
                providers.computeIfAbsent(name, (key) -> new ArrayList<>(1)).add(libraryName);
                if (listed.contains(name)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static void write(Path source, Path target, List<String> ordered, String classpathIndex)
            throws IOException {
        try (ZipFile zip = new ZipFile(source.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            boolean librariesWritten = false;
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (isLibrary(entry)) {
                    if (!librariesWritten) {
                        for (String library : ordered) {
                            copy(zip, zip.getEntry(library), out, null);
                        }
                        librariesWritten = true;
                    }
                }
                else if (entry.getName().equals(CLASSPATH_INDEX) && classpathIndex != null) {
                    copy(zip, entry, out, reorderIndex(classpathIndex, ordered).getBytes(StandardCharsets.UTF_8));
                }
                else {
                    copy(zip, entry, out, null);
                }
            }
        }
    }

    /** The index's lines, with those naming a library in the new order. */
    static String reorderIndex(String classpathIndex, List<String> ordered) {
        List<String> lines = new ArrayList<>(classpathIndex.lines().toList());
        List<Integer> libraryLines = new ArrayList<>();
        Map<String, String> lineOfLibrary = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String library = lines.get(i).replaceFirst("^- \"(.*)\"$", "$1");
            if (ordered.contains(library)) {
                libraryLines.add(i);
                lineOfLibrary.put(library, lines.get(i));
            }
        }
        List<String> inOrder = ordered.stream().filter(lineOfLibrary::containsKey).map(lineOfLibrary::get).toList();
        for (int i = 0; i < libraryLines.size(); i++) {
            lines.set(libraryLines.get(i), inOrder.get(i));
        }
        return String.join("\n", lines) + (classpathIndex.endsWith("\n") ? "\n" : "");
    }

    /**
     * Copies an entry with its time and compression; {@code content} replaces its bytes.
     */
    private static void copy(ZipFile zip, ZipEntry entry, ZipOutputStream out, byte[] content) throws IOException {
        byte[] bytes = (content != null) ? content : read(zip, entry);
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        if (entry.getExtra() != null) {
            copy.setExtra(entry.getExtra());
        }
        copy.setMethod(entry.getMethod());
        if (entry.getMethod() == ZipEntry.STORED) {
            // Stored entries (Boot's nested jars must be) need their size and CRC up
            // front.
            CRC32 crc = new CRC32();
            crc.update(bytes);
            copy.setSize(bytes.length);
            copy.setCompressedSize(bytes.length);
            copy.setCrc(crc.getValue());
        }
        out.putNextEntry(copy);
        out.write(bytes);
        out.closeEntry();
    }

    private static boolean isLibrary(ZipEntry entry) {
        return entry.getName().startsWith(LIBRARIES) && entry.getName().endsWith(".jar")
                && entry.getName().indexOf('/', LIBRARIES.length()) < 0;
    }

    private static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

}
