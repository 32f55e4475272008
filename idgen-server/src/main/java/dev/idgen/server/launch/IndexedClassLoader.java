package dev.idgen.server.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.loader.jar.NestedJarFile;
import org.springframework.boot.loader.launch.LaunchedClassLoader;

/**
 * Spring Boot's class loader for an executable jar, finding classes, {@code .class}
 * resources and packages through a {@link NestedJarClassIndex}: only the class path
 * entries that hold a class's package are asked, in class path order, so every class
 * comes from the same entry, with the same code source and package, as with Boot's own
 * loader, which asks every entry in turn. Every other resource is looked up by Boot's
 * loader, unchanged.
 */
final class IndexedClassLoader extends LaunchedClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final URL[] classPath;

    private final NestedJarClassIndex index;

    private final AtomicReferenceArray<JarFile> jars;

    IndexedClassLoader(URL[] classPath, ClassLoader parent, NestedJarClassIndex index) {
        super(false, classPath, parent);
        this.classPath = classPath.clone();
        this.index = index;
        this.jars = new AtomicReferenceArray<>(classPath.length);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        // Boot's loader defines a class's package from the manifest of the first entry
        // that holds the class and the package's directory, asking every entry; asking
        // only the indexed ones finds the same entry, and Boot then sees it defined.
        definePackageFromIndex(name);
        return super.loadClass(name, resolve);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String entryName = name.replace('.', '/').concat(".class");
        int[] sources = this.index.sourcesOf(entryName);
        if (sources != null) {
            try {
                for (int source : sources) {
                    JarFile jar = jar(source);
                    JarEntry entry = jar.getJarEntry(entryName);
                    if (entry != null) {
                        return define(name, jar, entry, this.classPath[source]);
                    }
                }
            }
            catch (IOException | UncheckedIOException ex) {
                throw new ClassNotFoundException(name, ex);
            }
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    public @Nullable URL findResource(String name) {
        if (!isPlainClassFileName(name)) {
            return super.findResource(name);
        }
        int[] sources = this.index.sourcesOf(name);
        if (sources == null) {
            return null;
        }
        try {
            for (int source : sources) {
                if (jar(source).getEntry(name) != null) {
                    // What URLClassLoader builds for a name that needs no encoding.
                    return new URL(this.classPath[source], name);
                }
            }
            return null;
        }
        catch (IOException | UncheckedIOException ex) {
            return super.findResource(name);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            for (int i = 0; i < this.jars.length(); i++) {
                JarFile jar = this.jars.getAndSet(i, null);
                if (jar != null) {
                    jar.close();
                }
            }
        }
        finally {
            super.close();
        }
    }

    /** Defines a class the way URLClassLoader does for an entry of a nested jar. */
    private Class<?> define(String name, JarFile jar, JarEntry entry, URL source) throws IOException {
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        }
        int lastDot = name.lastIndexOf('.');
        if (lastDot > 0) {
            String packageName = name.substring(0, lastDot);
            Package definedPackage = getDefinedPackage(packageName);
            if (definedPackage == null) {
                try {
                    definePackage(packageName, null, null, null, null, null, null, null);
                }
                catch (IllegalArgumentException ex) {
                    // Defined by another thread meanwhile: this loader is parallel
                    // capable.
                }
            }
            else if (definedPackage.isSealed() && !definedPackage.isSealed(source)) {
                throw new SecurityException("sealing violation: package " + packageName + " is sealed");
            }
        }
        // Boot's nested jar URLs give URLClassLoader no signers: the same code source.
        return defineClass(name, bytes, 0, bytes.length, new CodeSource(source, (CodeSigner[]) null));
    }

    private void definePackageFromIndex(String className) {
        int lastDot = className.lastIndexOf('.');
        if (lastDot <= 0 || className.startsWith("java.")) {
            return;
        }
        String packageName = className.substring(0, lastDot);
        if (getDefinedPackage(packageName) != null) {
            return;
        }
        String packageEntryName = packageName.replace('.', '/') + '/';
        String classEntryName = className.replace('.', '/').concat(".class");
        int[] sources = this.index.sourcesOf(classEntryName);
        if (sources == null) {
            return;
        }
        try {
            for (int source : sources) {
                JarFile jar = jar(source);
                if (hasEntry(jar, classEntryName) && hasEntry(jar, packageEntryName)) {
                    Manifest manifest = jar.getManifest();
                    if (manifest != null) {
                        definePackage(packageName, manifest, this.classPath[source]);
                        return;
                    }
                }
            }
        }
        catch (IOException | UncheckedIOException | IllegalArgumentException ex) {
            // Left to Boot's loader, which looks again and tolerates a package defined
            // meanwhile.
        }
    }

    private static boolean hasEntry(JarFile jar, String name) {
        return (jar instanceof NestedJarFile nested) ? nested.hasEntry(name) : jar.getEntry(name) != null;
    }

    /** Opened as Boot's loader opens an entry's jar, once, and kept until closed. */
    private JarFile jar(int source) throws IOException {
        JarFile jar = this.jars.get(source);
        if (jar != null) {
            return jar;
        }
        URLConnection connection = this.classPath[source].openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) {
            throw new IOException(this.classPath[source] + " is not a jar");
        }
        connection.setUseCaches(false);
        JarFile opened = jarConnection.getJarFile();
        if (this.jars.compareAndSet(source, null, opened)) {
            return opened;
        }
        opened.close();
        return this.jars.get(source);
    }

    /**
     * A class file's name outside {@code META-INF/}, made of the characters
     * URLClassLoader leaves as they are in a URL; any other name is looked up by Boot's
     * loader.
     */
    static boolean isPlainClassFileName(String name) {
        // The index leaves out META-INF (versioned classes count under their own
        // package).
        if (!name.endsWith(".class") || name.startsWith("/") || name.startsWith("META-INF/")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/'
                    || c == '.' || c == '$' || c == '_' || c == '-';
            if (!plain) {
                return false;
            }
        }
        return true;
    }

}
