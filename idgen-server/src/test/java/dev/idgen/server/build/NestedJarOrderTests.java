package dev.idgen.server.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import dev.idgen.server.support.ZipEntries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build step that orders an executable jar's nested libraries. */
class NestedJarOrderTests {

    private static final FileTime BUILD_TIME = FileTime.from(Instant.parse("2026-11-22T00:00:00Z"));

    @TempDir
    Path dir;

    @Test
    void librariesHoldingMoreOfTheListedClassesComeFirstAndTiesKeepTheirOrder() throws IOException {
        Path jar = executableJar("a.Warm\nb.Hot\nb.Hot2\n",
                Map.of("a.jar", List.of("a/Warm.class", "a/Cold.class"), "b.jar",
                        List.of("b/Hot.class", "b/Hot2.class"), "c.jar", List.of("c/Unused.class"), "d.jar",
                        List.of("d/Unused.class")));

        String report = NestedJarOrder.rewrite(jar);

        assertThat(libraryEntries(jar)).containsExactly("BOOT-INF/lib/b.jar", "BOOT-INF/lib/a.jar",
                "BOOT-INF/lib/c.jar", "BOOT-INF/lib/d.jar");
        assertThat(entry(jar, NestedJarOrder.CLASSPATH_INDEX)).isEqualTo("- \"BOOT-INF/lib/b.jar\"\n"
                + "- \"BOOT-INF/lib/a.jar\"\n" + "- \"BOOT-INF/lib/c.jar\"\n" + "- \"BOOT-INF/lib/d.jar\"\n");
        // a, b, c: 1×1 + 2×2 = 5 look-ups before; b, a: 1×2 + 2×1 = 4 after.
        assertThat(report).contains("4 libraries").contains("5 -> 4");
    }

    @Test
    void everyOtherEntryKeepsItsBytesItsTimeAndItsCompression() throws IOException {
        Path jar = executableJar("b.Hot\n", Map.of("a.jar", List.of("a/Cold.class"), "b.jar", List.of("b/Hot.class")));
        Map<String, EntryState> before = entries(jar);

        NestedJarOrder.rewrite(jar);

        Map<String, EntryState> after = entries(jar);
        after.remove(NestedJarOrder.CLASSPATH_INDEX);
        before.remove(NestedJarOrder.CLASSPATH_INDEX);
        assertThat(after).isEqualTo(before);
        assertThat(after.get("BOOT-INF/lib/b.jar").method()).isEqualTo(ZipEntry.STORED);
        assertThat(after.get("BOOT-INF/classes/App.class").method()).isEqualTo(ZipEntry.DEFLATED);
        assertThat(new ArrayList<>(after.keySet())).startsWith("META-INF/MANIFEST.MF", NestedJarOrder.CLASS_LIST,
                "BOOT-INF/classes/App.class", "BOOT-INF/lib/", "BOOT-INF/lib/b.jar", "BOOT-INF/lib/a.jar");
    }

    @Test
    void rewritingTheSameJarTwiceGivesTheSameBytes() throws IOException {
        Path jar = executableJar("b.Hot\n", Map.of("a.jar", List.of("a/Cold.class"), "b.jar", List.of("b/Hot.class")));
        NestedJarOrder.rewrite(jar);
        byte[] once = Files.readAllBytes(jar);

        NestedJarOrder.rewrite(jar);

        assertThat(Files.readAllBytes(jar)).isEqualTo(once);
    }

    @Test
    void anOrderThatWouldLoadAClassFromAnotherCopyIsRefusedAndTheJarLeftAsItWas() throws IOException {
        Path jar = executableJar("z.Hot\n",
                Map.of("a.jar", List.of("x/Twice.class"), "z.jar", List.of("x/Twice.class", "z/Hot.class")));
        byte[] before = Files.readAllBytes(jar);

        assertThatIllegalStateException().isThrownBy(() -> NestedJarOrder.rewrite(jar))
            .withMessageContaining("x/Twice.class")
            .withMessageContaining("z.jar instead of BOOT-INF/lib/a.jar");
        assertThat(Files.readAllBytes(jar)).isEqualTo(before);
        try (var files = Files.list(this.dir)) {
            assertThat(files).containsExactly(jar);
        }
    }

    @Test
    void aJarWithoutTheClassListIsRefused() throws IOException {
        Path jar = this.dir.resolve("plain.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            deflated(out, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");
        }

        assertThatIllegalStateException().isThrownBy(() -> NestedJarOrder.rewrite(jar))
            .withMessageContaining(NestedJarOrder.CLASS_LIST);
    }

    /**
     * A jar laid out as Boot's repackage writes one: libraries stored, sorted by name.
     */
    private Path executableJar(String classList, Map<String, List<String>> libraries) throws IOException {
        Path jar = this.dir.resolve("app.jar");
        List<String> names = new ArrayList<>(libraries.keySet());
        Collections.sort(names);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            deflated(out, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");
            deflated(out, NestedJarOrder.CLASS_LIST, "# a comment\n" + classList);
            deflated(out, "BOOT-INF/classes/App.class", "not really a class");
            stored(out, "BOOT-INF/lib/", new byte[0]);
            StringBuilder index = new StringBuilder();
            for (String name : names) {
                stored(out, "BOOT-INF/lib/" + name, library(libraries.get(name)));
                index.append("- \"BOOT-INF/lib/").append(name).append("\"\n");
            }
            deflated(out, NestedJarOrder.CLASSPATH_INDEX, index.toString());
            deflated(out, "BOOT-INF/layers.idx", "- \"dependencies\":\n  - \"BOOT-INF/lib/\"\n");
        }
        return jar;
    }

    private static byte[] library(List<String> classes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            deflated(out, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");
            deflated(out, "module-info.class", "modules are not classes on the class path");
            for (String name : classes) {
                deflated(out, name, name);
            }
        }
        return bytes.toByteArray();
    }

    private static void deflated(ZipOutputStream out, String name, String content) throws IOException {
        ZipEntries.put(out, name, content.getBytes(StandardCharsets.UTF_8), ZipEntry.DEFLATED, BUILD_TIME);
    }

    private static void stored(ZipOutputStream out, String name, byte[] content) throws IOException {
        ZipEntries.put(out, name, content, ZipEntry.STORED, BUILD_TIME);
    }

    private static List<String> libraryEntries(Path jar) throws IOException {
        return entries(jar).keySet()
            .stream()
            .filter((name) -> name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar"))
            .toList();
    }

    private static String entry(Path jar, String name) throws IOException {
        return new String(entries(jar).get(name).content(), StandardCharsets.UTF_8);
    }

    private static Map<String, EntryState> entries(Path jar) throws IOException {
        Map<String, EntryState> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(entry)) {
                    entries.put(entry.getName(),
                            new EntryState(in.readAllBytes(), entry.getLastModifiedTime(), entry.getMethod()));
                }
            }
        }
        return entries;
    }

    private record EntryState(byte[] content, FileTime time, int method) {

        @Override
        public boolean equals(Object other) {
            return other instanceof EntryState state && Arrays.equals(this.content, state.content)
                    && this.time.equals(state.time) && this.method == state.method;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(this.content);
        }

    }

}
