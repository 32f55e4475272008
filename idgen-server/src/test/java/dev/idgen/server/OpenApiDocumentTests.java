package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idgen.server.support.IdgenServerTest;
import dev.idgen.server.support.ProjectDirectory;
import dev.idgen.server.support.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code docs/openapi.yaml} is the API as a file, for teams that generate clients or
 * review API changes without running the server: it must be what the running server
 * serves at {@code /v3/api-docs.yaml}. Compared as parsed YAML, so the order of keys
 * (which springdoc does not promise) does not matter. The one part that varies per run,
 * {@code servers} (the URL with this test's random port), is left out of both.
 */
@IdgenServerTest
class OpenApiDocumentTests {

    /**
     * Set to true to rewrite the committed document from the running server instead of
     * failing.
     */
    static final String WRITE_PROPERTY = "idgen.openapi.write";

    static final String REGENERATE = "./mvnw -q -pl idgen-server -am test -Dtest=OpenApiDocumentTests"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE_PROPERTY + "=true";

    private static final String HEADER = "# The idgen REST API, as the server serves it at /v3/api-docs.yaml (servers left out:\n"
            + "# each deployment has its own). Generated; OpenApiDocumentTests fails when it drifts. Regenerate with\n"
            + "#   " + REGENERATE + "\n";

    @LocalServerPort
    int port;

    @Test
    void theCommittedDocumentIsTheOneTheServerServes() throws IOException {
        RawHttp.Response served = RawHttp.get(port, "/v3/api-docs.yaml", null);
        assertThat(served.status()).isEqualTo(200);
        String live = withoutServers(served.body());
        Path committed = ProjectDirectory.root().resolve("docs").resolve("openapi.yaml");
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.writeString(committed, HEADER + live, StandardCharsets.UTF_8);
        }

        assertThat(Files.exists(committed)).as("%s is missing; write it with:%n  %s", committed, REGENERATE).isTrue();
        assertThat(differences("", parse(Files.readString(committed, StandardCharsets.UTF_8)), parse(live)))
            .as("%s differs from the running server's /v3/api-docs.yaml. If the API change is intended,"
                    + " rewrite the file and commit it:%n  %s%n", committed, REGENERATE)
            .isEmpty();
    }

    @Test
    void aDifferenceIsReportedWhereItIsAndOrderOfKeysIsNone() {
        Object committed = parse("paths:\n  /ids:\n    summary: Issue one id\n    tags: [ids]\ninfo: {version: v1}\n");
        Object served = parse("info: {version: v1}\npaths:\n  /ids:\n    tags: [ids]\n    summary: Issue an id\n");

        assertThat(differences("", committed, committed)).isEmpty();
        assertThat(differences("", committed,
                parse("info: {version: v1}\npaths:\n  /ids:\n    tags: [ids]\n" + "    summary: Issue one id\n")))
            .isEmpty();
        assertThat(differences("", committed, served))
            .containsExactly("/paths/~1ids/summary: the file has 'Issue one id', the server 'Issue an id'");
    }

    @Test
    void theDocumentNamesNoServerBecauseEveryDeploymentHasItsOwn() {
        String document = "openapi: 3.1.0\nservers:\n- url: http://127.0.0.1:1234\n  description: Generated"
                + " server url\ntags:\n- name: ids\n";

        assertThat(withoutServers(document)).isEqualTo("openapi: 3.1.0\ntags:\n- name: ids\n");
    }

    /**
     * The document without its top-level {@code servers} block, the rest exactly as
     * served.
     */
    static String withoutServers(String yaml) {
        StringBuilder kept = new StringBuilder(yaml.length());
        boolean inServers = false;
        for (String line : yaml.split("\n", -1)) {
            boolean topLevel = !line.isEmpty() && !line.startsWith(" ") && !line.startsWith("-");
            if (topLevel) {
                inServers = line.startsWith("servers:");
            }
            if (!inServers) {
                kept.append(line).append('\n');
            }
        }
        kept.setLength(kept.length() - 1); // the split's last piece is what followed the
                                           // final newline
        return kept.toString();
    }

    /**
     * Where two parsed documents differ, as JSON pointers with both values; empty when
     * they are equal.
     */
    static List<String> differences(String pointer, Object inFile, Object served) {
        List<String> found = new ArrayList<>();
        if (inFile instanceof Map<?, ?> fileMap && served instanceof Map<?, ?> servedMap) {
            Set<Object> keys = new TreeSet<>(Comparator.comparing(String::valueOf));
            keys.addAll(fileMap.keySet());
            keys.addAll(servedMap.keySet());
            for (Object key : keys) {
                String child = pointer + "/" + String.valueOf(key).replace("~", "~0").replace("/", "~1");
                found.addAll(differences(child, fileMap.get(key), servedMap.get(key)));
            }
        }
        else if (inFile instanceof List<?> fileList && served instanceof List<?> servedList
                && fileList.size() == servedList.size()) {
            for (int i = 0; i < fileList.size(); i++) {
                found.addAll(differences(pointer + "/" + i, fileList.get(i), servedList.get(i)));
            }
        }
        else if (!Objects.equals(inFile, served)) {
            found.add(pointer + ": the file has " + describe(inFile) + ", the server " + describe(served));
        }
        return found;
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }

    private static Object parse(String yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }

}
