package dev.idgen.server.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import dev.idgen.server.support.ZipEntries;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build step that indexes an executable jar's packages and installs the launcher. */
class NestedJarIndexTests {

    private static final String LAUNCHER = "dev.launch.Launcher";

    @TempDir
    Path dir;

    private Path classes;

    @BeforeEach
    void compiledLauncher() throws IOException {
        this.classes = this.dir.resolve("classes");
        Files.createDirectories(this.classes.resolve("dev/launch"));
        Files.write(this.classes.resolve("dev/launch/Launcher.class"), new byte[] { 1 });
        Files.write(this.classes.resolve("dev/launch/Loader.class"), new byte[] { 2 });
    }

    @Test
    void theLauncherBecomesTheMainClassAndSitsInTheRootAndTheApplicationLayer() throws IOException {
        Path jar = jar("org.springframework.boot.loader.launch.JarLauncher");

        NestedJarIndex.rewrite(jar, this.classes, LAUNCHER);

        assertThat(entry(jar, "META-INF/MANIFEST.MF")).contains("Main-Class: dev.launch.Launcher\r\n")
            .contains("Start-Class: app.Main\r\n");
        assertThat(entryNames(jar)).contains("dev/", "dev/launch/", "dev/launch/Launcher.class",
                "dev/launch/Loader.class", NestedJarIndex.INDEX);
        assertThat(entry(jar, NestedJarIndex.LAYERS_INDEX))
            .isEqualTo("- \"dependencies\":\n  - \"BOOT-INF/lib/\"\n- \"application\":\n  - \"dev/\"\n"
                    + "  - \"BOOT-INF/classes/\"\n");
    }

    @Test
    void theIndexListsEachEntrysPackagesWithVersionedClassesUnderTheirOwnPackage() throws IOException {
        Path jar = jar("org.springframework.boot.loader.launch.JarLauncher");

        NestedJarIndex.rewrite(jar, this.classes, LAUNCHER);

        String index = entry(jar, NestedJarIndex.INDEX);
        assertThat(index.lines().filter((line) -> !line.startsWith("#") && !line.startsWith("fingerprint ")))
            .containsExactly("BOOT-INF/classes/", "  app", "BOOT-INF/lib/a.jar", "  .", "  org/a", "  org/m");
    }

    @Test
    void theFingerprintIsTheOneTheLauncherComputesFromTheWrittenJar() throws IOException {
        Path jar = jar("org.springframework.boot.loader.launch.JarLauncher");

        NestedJarIndex.rewrite(jar, this.classes, LAUNCHER);

        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(entry(jar, NestedJarIndex.INDEX))
                .contains("fingerprint " + NestedJarIndex.fingerprint(zip, Map.of()) + "\n");
        }
    }

    @Test
    void aSecondRunGivesTheSameBytes() throws IOException {
        Path jar = jar("org.springframework.boot.loader.launch.JarLauncher");
        NestedJarIndex.rewrite(jar, this.classes, LAUNCHER);
        byte[] once = Files.readAllBytes(jar);

        NestedJarIndex.rewrite(jar, this.classes, LAUNCHER);

        assertThat(Files.readAllBytes(jar)).isEqualTo(once);
    }

    @Test
    void aJarStartedByAnotherLauncherIsRefusedAndLeftAsItWas() throws IOException {
        Path jar = jar("org.example.OwnLauncher");
        byte[] before = Files.readAllBytes(jar);

        assertThatIllegalStateException().isThrownBy(() -> NestedJarIndex.rewrite(jar, this.classes, LAUNCHER))
            .withMessageContaining("org.example.OwnLauncher");
        assertThat(Files.readAllBytes(jar)).isEqualTo(before);
        try (var files = Files.list(this.dir)) {
            assertThat(files.map((path) -> path.getFileName().toString())).containsExactlyInAnyOrder("classes",
                    "app.jar");
        }
    }

    @Test
    void aJarWithoutBootInfIsRefusedAndLeftAsItWas() throws IOException {
        Path jar = this.dir.resolve("app.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            put(out, "META-INF/MANIFEST.MF",
                    ("Manifest-Version: 1.0\r\nMain-Class: " + NestedJarIndex.BOOT_LAUNCHER + "\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8),
                    ZipEntry.DEFLATED);
        }
        byte[] before = Files.readAllBytes(jar);

        assertThatIllegalStateException().isThrownBy(() -> NestedJarIndex.rewrite(jar, this.classes, LAUNCHER))
            .withMessageContaining("not a Spring Boot executable jar");
        assertThat(Files.readAllBytes(jar)).isEqualTo(before);
    }

    private Path jar(String mainClass) throws IOException {
        Map<String, byte[]> library = new LinkedHashMap<>();
        library.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        library.put("org/a/A.class", new byte[] { 3 });
        library.put("Top.class", new byte[] { 4 });
        library.put("META-INF/versions/11/org/m/M.class", new byte[] { 5 });
        library.put("org/a/data.txt", new byte[] { 6 });
        Path jar = this.dir.resolve("app.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            put(out, "META-INF/MANIFEST.MF",
                    ("Manifest-Version: 1.0\r\nMain-Class: " + mainClass + "\r\nStart-Class: app.Main\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8),
                    ZipEntry.DEFLATED);
            put(out, "org/springframework/boot/loader/launch/JarLauncher.class", new byte[] { 7 }, ZipEntry.DEFLATED);
            put(out, "BOOT-INF/classes/app/Main.class", new byte[] { 8 }, ZipEntry.DEFLATED);
            put(out, "BOOT-INF/lib/a.jar", ZipEntries.zip(library, FileTime.fromMillis(0)), ZipEntry.STORED);
            put(out, NestedJarIndex.LAYERS_INDEX,
                    ("- \"dependencies\":\n  - \"BOOT-INF/lib/\"\n- \"application\":\n" + "  - \"BOOT-INF/classes/\"\n")
                        .getBytes(StandardCharsets.UTF_8),
                    ZipEntry.DEFLATED);
        }
        return jar;
    }

    private static void put(ZipOutputStream out, String name, byte[] bytes, int method) throws IOException {
        ZipEntries.put(out, name, bytes, method, FileTime.fromMillis(0));
    }

    private static List<String> entryNames(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
        }
    }

    private static String entry(Path jar, String name) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile()); InputStream in = zip.getInputStream(zip.getEntry(name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
