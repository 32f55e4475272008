package dev.idgen.server.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.File;
import java.net.URL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.loader.net.protocol.Handlers;
import org.springframework.boot.loader.net.protocol.jar.JarUrl;

/** Reading the build's index, and refusing one that does not match the jar. */
class NestedJarClassIndexTests {

    private static final File JAR = new File("/srv/app.jar");

    private static final String INDEX = """
            # a comment
            fingerprint 1f
            BOOT-INF/classes/
              app
            BOOT-INF/lib/one.jar
              org/one
              org/shared
              .
            BOOT-INF/lib/two.jar
              org/shared
            """;

    @BeforeAll
    static void registerBootUrlHandlers() {
        Handlers.register();
    }

    @Test
    void aPackageMapsToTheEntriesHoldingItInClassPathOrder() {
        NestedJarClassIndex index = NestedJarClassIndex.parse(INDEX, "1f", classPath("two.jar", "one.jar"));

        assertThat(index.sourcesOf("app/Main.class")).containsExactly(0);
        assertThat(index.sourcesOf("org/one/A$Inner.class")).containsExactly(2);
        assertThat(index.sourcesOf("org/shared/Dup.class")).containsExactly(1, 2);
        assertThat(index.sourcesOf("Top.class")).containsExactly(2);
        assertThat(index.sourcesOf("org/absent/X.class")).isNull();
    }

    @Test
    void aJarWhoseContentsChangedAfterTheBuildIsRefused() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> NestedJarClassIndex.parse(INDEX, "2a", classPath("one.jar", "two.jar")))
            .withMessageContaining("changed since the index was written");
    }

    @Test
    void aClassPathEntryTheIndexDoesNotNameIsRefused() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> NestedJarClassIndex.parse(INDEX, "1f", classPath("one.jar", "two.jar", "three.jar")))
            .withMessageContaining("does not name")
            .withMessageContaining("three.jar");
    }

    @Test
    void anIndexedEntryMissingFromTheClassPathIsRefused() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> NestedJarClassIndex.parse(INDEX, "1f", classPath("one.jar")))
            .withMessageContaining("BOOT-INF/lib/two.jar, which is not on the class path");
    }

    @Test
    void anEntryIsNamedByItsPathInTheJar() throws Exception {
        assertThat(NestedJarClassIndex.sourceName(JarUrl.create(JAR, "BOOT-INF/classes/")))
            .isEqualTo("BOOT-INF/classes/");
        assertThat(NestedJarClassIndex.sourceName(JarUrl.create(JAR, "BOOT-INF/lib/one.jar")))
            .isEqualTo("BOOT-INF/lib/one.jar");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> NestedJarClassIndex.sourceName(new URL("file:/srv/lib/one.jar")));
    }

    private static URL[] classPath(String... libraries) {
        URL[] urls = new URL[libraries.length + 1];
        urls[0] = JarUrl.create(JAR, "BOOT-INF/classes/");
        for (int i = 0; i < libraries.length; i++) {
            urls[i + 1] = JarUrl.create(JAR, "BOOT-INF/lib/" + libraries[i]);
        }
        return urls;
    }

}
