package dev.idgen.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.idgen.boot.health.IdGeneratorHealthIndicator;
import dev.idgen.core.IdGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter as an application sees it: found through {@code AutoConfiguration.imports}, ordered
 * against Spring Boot's own auto-configurations, failing with Boot's failure analysis.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdGeneratorApplicationTests {

    @TempDir
    Path dataDir;

    @Test
    void anApplicationWithNoIdgenCodeGetsAGeneratorHealthAndMeters() {
        try (ConfigurableApplicationContext context = application().properties("idgen.node-name=app-node",
                "idgen.worker.assignment=embedded", "idgen.zookeeper.embedded.port=0",
                "idgen.zookeeper.embedded.data-dir=" + dataDir, "idgen.worker.state-dir=" + dataDir.resolve("state"))
            .run()) {
            IdGenerator generator = context.getBean(IdGenerator.class);
            generator.nextIds(5);
            assertThat(context.getBean(MeterRegistry.class).get("ids.generated").counter().count()).isEqualTo(5);
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("idgen"))
                .isInstanceOf(IdGeneratorHealthIndicator.class);
            assertThat(context.getBean(IdGeneratorHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void anInvalidPropertyStopsStartUpWithAnAnalysisNamingIt(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application()
            .properties("idgen.worker.assignment=static", "idgen.worker.id=5000").run().close());
        assertThat(output).contains("idgen.worker.id", "must be between 0 and 1023");
    }

    @Test
    void withoutAnAssignmentStartUpFailsWithAnAnalysisListingTheChoices(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application()
            .properties("idgen.node-name=app-node", "idgen.zookeeper.embedded.port=0").run().close());
        assertThat(output).contains("APPLICATION FAILED TO START", "idgen.worker.assignment is not set",
                "Set idgen.worker.assignment to one of:", "zookeeper", "static", "embedded   an in-process ZooKeeper:"
                        + " ONE HOST ONLY");
    }

    @Test
    void embeddedAssignmentOnKubernetesFailsWithAnAnalysisNamingTheProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application()
            .properties("idgen.worker.assignment=embedded", "spring.main.cloud-platform=kubernetes",
                    "idgen.zookeeper.embedded.port=0", "idgen.zookeeper.embedded.data-dir=" + dataDir)
            .run()
            .close());
        assertThat(output).contains("APPLICATION FAILED TO START",
                "idgen.worker.assignment is embedded, but the application runs on the cloud platform KUBERNETES",
                "Set idgen.worker.assignment to zookeeper");
    }

    private static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(EmptyApplication.class).web(WebApplicationType.NONE);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class EmptyApplication {
    }
}
