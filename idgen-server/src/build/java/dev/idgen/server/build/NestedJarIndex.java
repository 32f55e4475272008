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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites an executable Spring Boot jar to start through idgen's indexed launcher: adds
 * the index of which class path entry holds classes of which package, puts the launcher's
 * classes in the jar's root beside Boot's loader, and makes it the {@code Main-Class}.
 *
 * <p>
 * Why: Boot's loader asks every nested jar in turn for every class and {@code .class}
 * resource; the launcher's class loader asks only those the index names
 * ({@code IndexedJarLauncher}'s javadoc; docs/benchmarks.md, item 22).
 *
 * <p>
 * The index ({@value #INDEX}) is text: a {@code fingerprint} line, then each class path
 * entry ({@code BOOT-INF/classes/}, {@code BOOT-INF/lib/<jar>}) followed by its packages,
 * indented by two spaces. The fingerprint covers the names, sizes and CRCs of every entry
 * under {@code BOOT-INF/} in the jar's order, so a jar changed after the build is started
 * without the index. {@code BOOT-INF/layers.idx} puts the launcher in the application
 * layer. Every other entry keeps its bytes, time and compression method, and a second run
 * gives the same bytes as the first.
 *
 * <p>
 * Run by the build after {@code NestedJarOrder}, with the JDK's source launcher:
 * {@code java NestedJarIndex.java <jar> <classes directory> <launcher class>}.
 */
public final class NestedJarIndex {

    /** Where the index is, in the jar's root: read by {@code NestedJarClassIndex}. */
    static final String INDEX = "META-INF/idgen/nested-jar-classes.idx";

    static final String MANIFEST = "META-INF/MANIFEST.MF";

    static final String LAYERS_INDEX = "BOOT-INF/layers.idx";

    static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

    private static final String CLASSES = "BOOT-INF/classes/";

    private static final String LIBRARIES = "BOOT-INF/lib/";

    private static final Pattern VERSIONED = Pattern.compile("^META-INF/versions/\\d+/");

    private NestedJarIndex() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java NestedJarIndex.java <executable jar> <classes directory> <launcher class>");
            System.exit(2);
        }
        System.out.println(rewrite(Path.of(args[0]), Path.of(args[1]), args[2]));
    }

    /**
     * Rewrites {@code jar} in place, and says what it did.
     * @param classes the directory holding the compiled launcher package
     * @param launcher the launcher's binary class name; every class of its package is
     * copied to the jar's root
     * @throws IllegalStateException if the jar is not started by Boot's
     * {@code JarLauncher} (or this launcher), or the launcher's classes are missing
     */
    public static String rewrite(Path jar, Path classes, String launcher) throws IOException {
        String launcherPackage = launcher.substring(0, launcher.lastIndexOf('.')).replace('.', '/') + "/";
        Map<String, byte[]> launcherEntries = launcherEntries(classes, launcherPackage);
        if (!launcherEntries.containsKey(launcher.replace('.', '/') + ".class")) {
            throw new IllegalStateException(launcher + " is not compiled in " + classes);
        }
        Path rewritten = Files.createTempFile(jar.toAbsolutePath().getParent(), jar.getFileName().toString(), ".tmp");
        int sources;
        int packages;
        try {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                Map<String, byte[]> replaced = new LinkedHashMap<>();
                replaced.put(MANIFEST, mainClass(new String(read(zip, MANIFEST), StandardCharsets.UTF_8), launcher)
                    .getBytes(StandardCharsets.UTF_8));
                if (zip.getEntry(LAYERS_INDEX) != null) {
                    replaced.put(LAYERS_INDEX, inApplicationLayer(
                            new String(read(zip, LAYERS_INDEX), StandardCharsets.UTF_8), rootDirectory(launcher))
                        .getBytes(StandardCharsets.UTF_8));
                }
                Map<String, Set<String>> index = packagesBySource(zip);
                sources = index.size();
                packages = index.values().stream().mapToInt(Set::size).sum();
                String text = index(fingerprint(zip, replaced), index);
                write(zip, rewritten, replaced, launcherPackage, launcherEntries, text);
            }
            Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        finally {
            Files.deleteIfExists(rewritten);
        }
        return "Indexed the " + packages + " packages of the " + sources + " class path entries of "
                + jar.getFileName() + "; Main-Class " + launcher;
    }

    /** The manifest with {@code launcher} as its Main-Class instead of Boot's; nothing else changes. */
    static String mainClass(String manifest, String launcher) {
        String line = manifest.lines().filter((candidate) -> candidate.startsWith("Main-Class: ")).findFirst()
            .orElseThrow(() -> new IllegalStateException("the jar's manifest has no Main-Class"));
        String current = line.substring("Main-Class: ".length());
        if (!current.equals(BOOT_LAUNCHER) && !current.equals(launcher)) {
            throw new IllegalStateException("the jar starts with " + current + ", not Spring Boot's " + BOOT_LAUNCHER
                    + "; refusing to replace it");
        }
        String replacement = "Main-Class: " + launcher;
        if (replacement.length() > 72) {
            throw new IllegalStateException(launcher + " is too long for one manifest line");
        }
        return manifest.replace(line, replacement);
    }

    /** The layers index with {@code directory} in the application layer, once. */
    static String inApplicationLayer(String layers, String directory) {
        String line = "  - \"" + directory + "\"";
        if (layers.lines().anyMatch(line::equals)) {
            return layers;
        }
        String header = "- \"application\":\n";
        int at = layers.indexOf(header);
        if (at < 0) {
            throw new IllegalStateException("the layers index has no application layer");
        }
        int end = at + header.length();
        return layers.substring(0, end) + line + "\n" + layers.substring(end);
    }

    /** Each class path entry's packages, the classes directory first, then the libraries. */
    static Map<String, Set<String>> packagesBySource(ZipFile zip) throws IOException {
        Map<String, Set<String>> index = new LinkedHashMap<>();
        index.put(CLASSES, new TreeSet<>());
        for (ZipEntry entry : Collections.list(zip.entries())) {
            String name = entry.getName();
            if (name.startsWith(CLASSES)) {
                addPackage(index.get(CLASSES), name.substring(CLASSES.length()));
            }
            else if (name.startsWith(LIBRARIES) && name.endsWith(".jar") && name.indexOf('/', LIBRARIES.length()) < 0) {
                Set<String> packages = new TreeSet<>();
                try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(read(zip, name)))) {
                    for (ZipEntry nested = in.getNextEntry(); nested != null; nested = in.getNextEntry()) {
                        addPackage(packages, nested.getName());
                    }
                }
                index.put(name, packages);
            }
        }
        return index;
    }

    private static void addPackage(Set<String> packages, String entryName) {
        String name = VERSIONED.matcher(entryName).replaceFirst("");
        if (!name.endsWith(".class") || name.startsWith("META-INF/")) {
            return;
        }
        int slash = name.lastIndexOf('/');
        packages.add((slash < 0) ? "." : name.substring(0, slash));
    }

    static String index(String fingerprint, Map<String, Set<String>> packagesBySource) {
        StringBuilder text = new StringBuilder("# Written by the build (NestedJarIndex), read by IndexedJarLauncher\n");
        text.append("fingerprint ").append(fingerprint).append('\n');
        packagesBySource.forEach((source, packages) -> {
            text.append(source).append('\n');
            packages.forEach((name) -> text.append("  ").append(name).append('\n'));
        });
        return text.toString();
    }

    /**
     * As {@code NestedJarClassIndex.fingerprint} computes it at start-up, over the entries
     * as they will be written ({@code replaced} holds the new bytes of rewritten ones).
     */
    static String fingerprint(ZipFile zip, Map<String, byte[]> replaced) {
        CRC32 crc = new CRC32();
        for (ZipEntry entry : Collections.list(zip.entries())) {
            if (entry.getName().startsWith("BOOT-INF/")) {
                byte[] bytes = replaced.get(entry.getName());
                long size = (bytes != null) ? bytes.length : entry.getSize();
                long entryCrc = (bytes != null) ? crc32(bytes) : entry.getCrc();
                String line = entry.getName() + ' ' + size + ' ' + entryCrc + '\n';
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return Long.toHexString(crc.getValue());
    }

    private static Map<String, byte[]> launcherEntries(Path classes, String launcherPackage) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Path directory = classes.resolve(launcherPackage);
        if (!Files.isDirectory(directory)) {
            return entries;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter((path) -> path.toString().endsWith(".class")).sorted().toList()) {
                entries.put(launcherPackage + file.getFileName(), Files.readAllBytes(file));
            }
        }
        return entries;
    }

    private static void write(ZipFile zip, Path target, Map<String, byte[]> replaced, String launcherPackage,
            Map<String, byte[]> launcherEntries, String index) throws IOException {
        ZipEntry manifest = zip.getEntry(MANIFEST);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            boolean added = false;
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (name.equals(INDEX) || isLauncherEntry(name, launcherPackage)) {
                    continue; // from an earlier run: written anew below
                }
                if (!added && name.startsWith("BOOT-INF/")) {
                    // Beside Boot's loader classes, before the application's entries.
                    for (String directory : directories(launcherPackage)) {
                        add(out, directory, new byte[0], manifest);
                    }
                    for (Map.Entry<String, byte[]> launcherEntry : launcherEntries.entrySet()) {
                        add(out, launcherEntry.getKey(), launcherEntry.getValue(), manifest);
                    }
                    add(out, INDEX, index.getBytes(StandardCharsets.UTF_8), manifest);
                    added = true;
                }
                copy(zip, entry, out, replaced.get(name));
            }
            if (!added) {
                throw new IllegalStateException("the jar has no BOOT-INF/: not a Spring Boot executable jar");
            }
        }
    }

    private static boolean isLauncherEntry(String name, String launcherPackage) {
        return name.startsWith(launcherPackage) || directories(launcherPackage).contains(name);
    }

    /** {@code dev/}, {@code dev/idgen/}, ... down to the launcher's package. */
    private static List<String> directories(String launcherPackage) {
        List<String> directories = new ArrayList<>();
        for (int slash = launcherPackage.indexOf('/'); slash >= 0; slash = launcherPackage.indexOf('/', slash + 1)) {
            directories.add(launcherPackage.substring(0, slash + 1));
        }
        return directories;
    }

    private static String rootDirectory(String launcher) {
        return launcher.substring(0, launcher.indexOf('.')) + "/";
    }

    private static void add(ZipOutputStream out, String name, byte[] bytes, ZipEntry timeOf) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(timeOf.getTime());
        out.putNextEntry(entry);
        out.write(bytes);
        out.closeEntry();
    }

    /** Copies an entry with its time and compression; {@code content} replaces its bytes. */
    private static void copy(ZipFile zip, ZipEntry entry, ZipOutputStream out, byte[] content) throws IOException {
        byte[] bytes = (content != null) ? content : read(zip, entry.getName());
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        if (entry.getExtra() != null) {
            copy.setExtra(entry.getExtra());
        }
        copy.setMethod(entry.getMethod());
        if (entry.getMethod() == ZipEntry.STORED) {
            // Stored entries (Boot's nested jars must be) need their size and CRC up front.
            copy.setSize(bytes.length);
            copy.setCompressedSize(bytes.length);
            copy.setCrc(crc32(bytes));
        }
        out.putNextEntry(copy);
        out.write(bytes);
        out.closeEntry();
    }

    private static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static byte[] read(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IllegalStateException("the jar has no " + name);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

}
