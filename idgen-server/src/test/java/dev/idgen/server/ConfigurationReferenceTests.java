package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.idgen.server.support.ProjectDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md}, the configuration reference, agrees with the metadata
 * the configuration processor generates, the starter's ({@code IdGeneratorProperties} and
 * its additional metadata) and the server's ({@link IdgenServerProperties}), both on this
 * module's class path: every documented property exists, every {@code idgen.*} property
 * is documented, and where the metadata has a default the reference states the same one.
 */
class ConfigurationReferenceTests {

    /** A table row of the reference: {@code | `name` | default | allowed | meaning |}. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z][a-z0-9.-]*)`\\s*\\|([^|]*)\\|");

    private static final String PREFIX = "idgen.";

    private final Map<String, String> documented = documented();

    private final Map<String, Object> metadata = metadata();

    @Test
    void everyDocumentedPropertyIsInTheMetadata() {
        Set<String> unknown = new TreeSet<>(documented.keySet());
        unknown.removeAll(metadata.keySet());
        assertThat(unknown).as("in docs/configuration.md but not in the configuration metadata").isEmpty();
    }

    @Test
    void everyPropertyInTheMetadataIsDocumented() {
        Set<String> undocumented = new TreeSet<>(metadata.keySet());
        undocumented.removeAll(documented.keySet());
        assertThat(undocumented).as("in the configuration metadata but not in docs/configuration.md").isEmpty();
    }

    @Test
    void defaultsAgreeWhereTheMetadataHasOne() {
        Map<String, String> disagreements = new TreeMap<>();
        metadata.forEach((name, defaultValue) -> {
            String cell = documented.get(name);
            if (defaultValue != null && cell != null && !cell.equals("`" + defaultValue + "`")) {
                disagreements.put(name, "metadata `" + defaultValue + "`, docs/configuration.md " + cell);
            }
        });
        assertThat(disagreements).as("defaults that differ").isEmpty();
    }

    /** Documented property names and their default cells. */
    private static Map<String, String> documented() {
        Path reference = ProjectDirectory.root().resolve("docs").resolve("configuration.md");
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : read(reference).split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find() && row.group(1).startsWith(PREFIX)) {
                assertThat(rows.put(row.group(1), row.group(2).trim())).as("%s documented twice", row.group(1))
                    .isNull();
            }
        }
        assertThat(rows).as("property rows in " + reference).isNotEmpty();
        return rows;
    }

    /**
     * Property names and their defaults (or {@code null}) from every configuration
     * metadata file on the class path, generated at compile time; {@code idgen.*}
     * properties only.
     */
    private static Map<String, Object> metadata() {
        Map<String, Object> defaults = new TreeMap<>();
        List<URL> files = metadataFiles();
        for (URL file : files) {
            List<Map<String, Object>> properties = JsonPath.parse(read(file)).read("$.properties[*]");
            for (Map<String, Object> property : properties) {
                String name = (String) property.get("name");
                if (name.startsWith(PREFIX)) {
                    defaults.put(name, property.get("defaultValue"));
                }
            }
        }
        assertThat(defaults.keySet()).as("idgen properties in " + files)
            .anyMatch(name -> name.startsWith("idgen.server."))
            .anyMatch(name -> name.startsWith("idgen.zookeeper."));
        return defaults;
    }

    private static List<URL> metadataFiles() {
        try {
            return Collections.list(ConfigurationReferenceTests.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"));
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot list the configuration metadata", ex);
        }
    }

    private static String read(URL file) {
        try (InputStream in = file.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot read " + file, ex);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot read " + file, ex);
        }
    }

}
