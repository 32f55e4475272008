package dev.idgen.server.launch;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.jar.JarFile;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.loader.launch.JarLauncher;

/**
 * The executable jar's {@code Main-Class}: Spring Boot's {@link JarLauncher}, with a
 * class loader that finds each class in the one nested jar that holds its package instead
 * of asking every nested jar in turn.
 *
 * <p>
 * Why: Boot's loader looks for a class in each of the jar's 132 class path entries in
 * order, building a URL and opening a connection in each, and does the same for every
 * {@code .class} resource Spring reads to parse configuration classes and for every class
 * that is absent (Spring's {@code isPresent} checks). That machinery was about a fifth of
 * a start's Java work and two fifths of what the C2 compiler spent its time on while
 * starting (docs/benchmarks.md, item 22).
 *
 * <p>
 * The index ({@value NestedJarClassIndex#LOCATION}) is written by the build
 * ({@code NestedJarIndex}) and carries a fingerprint of everything under
 * {@code BOOT-INF/}. If the jar no longer matches it (a library replaced after the build,
 * an exploded jar), this launcher says so on standard error and is exactly Boot's
 * {@code JarLauncher}. {@code java -Djarmode=tools -jar} and every other launch mode work
 * as they do with Boot's launcher.
 */
public final class IndexedJarLauncher extends JarLauncher {

    public IndexedJarLauncher() throws Exception {
    }

    public static void main(String[] args) throws Exception {
        new IndexedJarLauncher().launch(args);
    }

    @Override
    protected ClassLoader createClassLoader(Collection<URL> urls) throws Exception {
        URL[] classPath = urls.toArray(new URL[0]);
        NestedJarClassIndex index = isExploded() ? null : loadIndex(classPath);
        if (index == null) {
            return super.createClassLoader(urls);
        }
        return new IndexedClassLoader(classPath, getClass().getClassLoader(), index);
    }

    private static @Nullable NestedJarClassIndex loadIndex(URL[] classPath) {
        try {
            Path jar = Path.of(IndexedJarLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return null;
            }
            try (JarFile root = new JarFile(jar.toFile())) {
                return NestedJarClassIndex.read(root, classPath);
            }
        }
        catch (IOException | URISyntaxException | RuntimeException ex) {
            // Whatever is wrong with the index, Boot's own loader still starts the jar.
            System.err.println("idgen: not using the jar's class index (" + ex.getMessage()
                    + "); classes load the way Spring Boot's launcher loads them, only more slowly");
            return null;
        }
    }

}
