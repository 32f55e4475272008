package dev.idgen.server.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import dev.idgen.server.support.ZipEntries;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Writes a small executable jar in Spring Boot's layout, with classes compiled here that
 * no test class loader can see: {@code BOOT-INF/classes/} and stored nested jars in
 * {@code BOOT-INF/lib/}, in the order they are added.
 */
final class ExecutableJarBuilder {

    private static final FileTime TIME = FileTime.fromMillis(0);

    private final Map<String, byte[]> classes = new LinkedHashMap<>();

    private final Map<String, Map<String, byte[]>> libraries = new LinkedHashMap<>();

    private final Map<String, Manifest> manifests = new LinkedHashMap<>();

    /**
     * Adds a class, and the classes nested in it, compiled, to {@code BOOT-INF/classes/}.
     */
    ExecutableJarBuilder classes(String className, String source) {
        this.classes.putAll(compile(className, source));
        return this;
    }

    /** Adds a nested jar; {@code entries} maps entry names to contents. */
    ExecutableJarBuilder library(String name, Manifest manifest, Map<String, byte[]> entries) {
        this.libraries.put(name, entries);
        this.manifests.put(name, manifest);
        return this;
    }

    Path write(Path jar) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes()
                .put(Attributes.Name.MAIN_CLASS, "org.springframework.boot.loader.launch.JarLauncher");
            manifest.getMainAttributes().putValue("Start-Class", "app.Main");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            manifest.write(bytes);
            put(out, "META-INF/MANIFEST.MF", bytes.toByteArray(), ZipEntry.DEFLATED);
            put(out, "BOOT-INF/classes/", new byte[0], ZipEntry.DEFLATED);
            for (Map.Entry<String, byte[]> entry : this.classes.entrySet()) {
                put(out, "BOOT-INF/classes/" + entry.getKey(), entry.getValue(), ZipEntry.DEFLATED);
            }
            for (Map.Entry<String, Map<String, byte[]>> library : this.libraries.entrySet()) {
                put(out, "BOOT-INF/lib/" + library.getKey(),
                        jar(this.manifests.get(library.getKey()), library.getValue()), ZipEntry.STORED);
            }
            put(out, "BOOT-INF/layers.idx", "- \"application\":\n  - \"BOOT-INF/\"\n".getBytes(StandardCharsets.UTF_8),
                    ZipEntry.DEFLATED);
        }
        return jar;
    }

    static Manifest manifest(String... attributes) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < attributes.length; i += 2) {
            manifest.getMainAttributes().putValue(attributes[i], attributes[i + 1]);
        }
        return manifest;
    }

    /** The class files compiled from {@code source}, by entry name. */
    static Map<String, byte[]> compile(String className, String source) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Map<String, ByteArrayOutputStream> output = new LinkedHashMap<>();
        JavaFileManager files = new ForwardingJavaFileManager<>(compiler.getStandardFileManager(null, null, null)) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("memory:///" + name + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return output.computeIfAbsent(name, (key) -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        JavaFileObject file = new SimpleJavaFileObject(
                URI.create("string:///" + className.replace('.', '/') + JavaFileObject.Kind.SOURCE.extension),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = new ArrayList<>(List.of("--release", "17"));
        if (!compiler.getTask(null, files, null, options, null, List.of(file)).call()) {
            throw new IllegalStateException("did not compile: " + source);
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        output.forEach((name, bytes) -> entries.put(entryName(name), bytes.toByteArray()));
        return entries;
    }

    static String entryName(String className) {
        return className.replace('.', '/') + ".class";
    }

    private static byte[] jar(Manifest manifest, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream manifestBytes = new ByteArrayOutputStream();
        manifest.write(manifestBytes);
        Map<String, byte[]> all = new LinkedHashMap<>();
        all.put("META-INF/MANIFEST.MF", manifestBytes.toByteArray());
        all.putAll(entries);
        return ZipEntries.zip(all, TIME);
    }

    private static void put(ZipOutputStream out, String name, byte[] bytes, int method) throws IOException {
        ZipEntries.put(out, name, bytes, method, TIME);
    }

}
