package dev.idgen.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.mock.env.MockEnvironment;

class ZooKeeperClientPreinitializerTests {

    private final List<Runnable> started = new ArrayList<>();

    private final ZooKeeperClientPreinitializer preinitializer = new ZooKeeperClientPreinitializer(started::add);

    @Test
    void aNodeLeasingFromZooKeeperStartsInitializingTheClientInTheBackground() {
        for (String assignment : List.of("embedded", "zookeeper", " ZooKeeper ")) {
            started.clear();

            preinitializer.onApplicationEvent(event(assignment));

            assertThat(started).as(assignment).hasSize(Runtime.getRuntime().availableProcessors() < 2 ? 0 : 1);
        }
    }

    @Test
    void aStaticOrUnsetAssignmentStartsNothing() {
        preinitializer.onApplicationEvent(event("static"));
        preinitializer.onApplicationEvent(event(""));

        assertThat(started).isEmpty();
    }

    @Test
    void aSingleCpuStartsNothing() {
        MockEnvironment environment = new MockEnvironment().withProperty("idgen.worker.assignment", "embedded");

        assertThat(ZooKeeperClientPreinitializer.wanted(environment, 1)).isFalse();
        assertThat(ZooKeeperClientPreinitializer.wanted(environment, 2)).isTrue();
    }

    @Test
    void theBackgroundTaskRunsZooKeepersTlsInitializer() throws Exception {
        // A class loader of its own, so the initializer runs here even if another test
        // in this JVM already ran it; it marks its work in a system property.
        String property = "jdk.tls.rejectClientInitiatedRenegotiation";
        String before = System.clearProperty(property);
        try (URLClassLoader fresh = new URLClassLoader(classPath(), ClassLoader.getPlatformClassLoader())) {
            ZooKeeperClientPreinitializer.initialize(fresh);

            assertThat(System.getProperty(property)).isEqualTo("true");
        }
        finally {
            if (before != null) {
                System.setProperty(property, before);
            }
        }
    }

    private static URL[] classPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }

    @Test
    void withoutZooKeeperOnTheClassPathTheTaskDoesNothing() {
        ClassLoader empty = new ClassLoader(null) {
        };

        assertThatNoException().isThrownBy(() -> ZooKeeperClientPreinitializer.initialize(empty));
    }

    private static ApplicationEnvironmentPreparedEvent event(String assignment) {
        MockEnvironment environment = new MockEnvironment().withProperty("idgen.worker.assignment", assignment);
        return new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(), new SpringApplication(),
                new String[0], environment);
    }

}
