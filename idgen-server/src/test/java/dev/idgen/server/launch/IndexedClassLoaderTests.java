package dev.idgen.server.launch;

import static dev.idgen.server.launch.ExecutableJarBuilder.compile;
import static dev.idgen.server.launch.ExecutableJarBuilder.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.idgen.server.build.NestedJarIndex;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.loader.launch.LaunchedClassLoader;
import org.springframework.boot.loader.net.protocol.Handlers;
import org.springframework.boot.loader.net.protocol.jar.JarUrl;

/**
 * The indexed class loader against Spring Boot's own, over one executable jar indexed by
 * the build step: every class and class file comes from the same entry, with the same
 * code source, package and bytes, including a class in two libraries, a library without
 * directory entries, a multi-release library and the unnamed package.
 */
class IndexedClassLoaderTests {

    @TempDir
    static Path dir;

    private static Path jar;

    private LaunchedClassLoader boot;

    private IndexedClassLoader indexed;

    @BeforeAll
    static void indexedExecutableJar() throws Exception {
        Handlers.register();
        Map<String, byte[]> one = new LinkedHashMap<>();
        one.put("idgentest/", new byte[0]);
        one.put("idgentest/one/", new byte[0]);
        one.put("idgentest/shared/", new byte[0]);
        one.putAll(compile("idgentest.one.A",
                "package idgentest.one; public class A { public static final String FROM = \"one\"; "
                        + "public static class Inner { public static final String FROM = \"one\"; } }"));
        one.putAll(compile("idgentest.shared.Dup",
                "package idgentest.shared; public class Dup { public static final String FROM = \"one\"; }"));
        one.put("idgentest/one/data.txt", "one".getBytes(StandardCharsets.UTF_8));
        one.putAll(compile("Top", "public class Top { public static final String FROM = \"one\"; }"));
        Map<String, byte[]> two = new LinkedHashMap<>();
        two.put("idgentest/", new byte[0]);
        two.put("idgentest/shared/", new byte[0]);
        two.put("idgentest/two/", new byte[0]);
        two.putAll(compile("idgentest.shared.Dup",
                "package idgentest.shared; public class Dup { public static final String FROM = \"two\"; }"));
        two.putAll(compile("idgentest.two.B",
                "package idgentest.two; public class B { public static final String FROM = \"base\"; }"));
        compile("idgentest.two.B",
                "package idgentest.two; public class B { public static final String FROM = \"17\"; }")
            .forEach((name, bytes) -> two.put("META-INF/versions/17/" + name, bytes));
        Map<String, byte[]> noDirectories = new LinkedHashMap<>(compile("idgentest.flat.C",
                "package idgentest.flat; public class C { public static final String FROM = \"flat\"; }"));
        jar = new ExecutableJarBuilder()
            .classes("app.Main", "package app; public class Main { public static final String FROM = \"classes\"; }")
            .library("one.jar", manifest("Implementation-Version", "1.0-one"), one)
            .library("two.jar", manifest("Implementation-Version", "2.0-two", "Multi-Release", "true"), two)
            .library("flat.jar", manifest("Implementation-Title", "flat"), noDirectories)
            .write(dir.resolve("app.jar"));
        Path launcherClasses = Path
            .of(IndexedJarLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        NestedJarIndex.rewrite(jar, launcherClasses, IndexedJarLauncher.class.getName());
    }

    @BeforeEach
    void bothLoaders() throws IOException {
        URL[] classPath = { JarUrl.create(jar.toFile(), "BOOT-INF/classes/"),
                JarUrl.create(jar.toFile(), "BOOT-INF/lib/one.jar"),
                JarUrl.create(jar.toFile(), "BOOT-INF/lib/two.jar"),
                JarUrl.create(jar.toFile(), "BOOT-INF/lib/flat.jar") };
        ClassLoader parent = ClassLoader.getPlatformClassLoader();
        this.boot = new LaunchedClassLoader(false, classPath, parent);
        try (ZipFile root = new ZipFile(jar.toFile())) {
            this.indexed = new IndexedClassLoader(classPath, parent, NestedJarClassIndex.read(root, classPath));
        }
    }

    @AfterEach
    void close() throws IOException {
        this.boot.close();
        this.indexed.close();
    }

    @ParameterizedTest
    @ValueSource(strings = { "app.Main", "idgentest.one.A", "idgentest.one.A$Inner", "idgentest.shared.Dup",
            "idgentest.two.B", "idgentest.flat.C", "Top" })
    void aClassComesFromTheEntryBootsLoaderTakesItFrom(String name) throws Exception {
        Class<?> fromBoot = this.boot.loadClass(name);
        Class<?> fromIndex = this.indexed.loadClass(name);

        assertThat(fromIndex.getClassLoader()).isSameAs(this.indexed);
        assertThat(fromIndex.getField("FROM").get(null)).isEqualTo(fromBoot.getField("FROM").get(null));
        assertThat(fromIndex.getProtectionDomain().getCodeSource().getLocation())
            .hasToString(fromBoot.getProtectionDomain().getCodeSource().getLocation().toString());
        assertThat(fromIndex.getProtectionDomain().getCodeSource().getCodeSigners()).isNull();
        assertThat(fromIndex.getPackage().getName()).isEqualTo(fromBoot.getPackage().getName());
        assertThat(fromIndex.getPackage().getImplementationVersion())
            .isEqualTo(fromBoot.getPackage().getImplementationVersion());
        assertThat(fromIndex.getPackage().getImplementationTitle())
            .isEqualTo(fromBoot.getPackage().getImplementationTitle());
    }

    @ParameterizedTest
    @ValueSource(strings = { "app/Main.class", "idgentest/one/A.class", "idgentest/one/A$Inner.class",
            "idgentest/shared/Dup.class", "idgentest/two/B.class", "idgentest/flat/C.class", "Top.class",
            "idgentest/one/data.txt", "META-INF/versions/17/idgentest/two/B.class" })
    void aResourceIsTheOneBootsLoaderFinds(String name) throws IOException {
        URL fromBoot = this.boot.getResource(name);
        URL fromIndex = this.indexed.getResource(name);

        assertThat(fromBoot).isNotNull();
        assertThat(fromIndex).hasToString(fromBoot.toString());
        assertThat(read(fromIndex)).isEqualTo(read(fromBoot));
    }

    @ParameterizedTest
    @ValueSource(strings = { "idgentest.one.Missing", "idgentest.absent.X", "Missing" })
    void aClassNoEntryHoldsIsNotFoundByEither(String name) {
        assertThatExceptionOfType(ClassNotFoundException.class).isThrownBy(() -> this.boot.loadClass(name));
        assertThatExceptionOfType(ClassNotFoundException.class).isThrownBy(() -> this.indexed.loadClass(name));
        String resource = name.replace('.', '/') + ".class";
        assertThat(this.indexed.getResource(resource)).isNull();
        assertThat(this.boot.getResource(resource)).isNull();
    }

    private static byte[] read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }

}
