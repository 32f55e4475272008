package dev.idgen.server.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's root directory, for tests that read files outside this module (docs/,
 * examples/).
 */
public final class ProjectDirectory {

    private ProjectDirectory() {
    }

    /**
     * The directory holding {@code mvnw}: Maven runs tests in the module's directory,
     * IDEs sometimes elsewhere.
     */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("idgen-server"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no project root (a directory with mvnw and idgen-server) above " + Path.of("").toAbsolutePath());
    }

}
