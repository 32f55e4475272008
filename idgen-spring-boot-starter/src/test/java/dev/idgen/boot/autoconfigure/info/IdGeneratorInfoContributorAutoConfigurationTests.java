package dev.idgen.boot.autoconfigure.info;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idgen.boot.autoconfigure.IdGeneratorAutoConfiguration;
import dev.idgen.boot.health.IdGeneratorInfoContributor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class IdGeneratorInfoContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IdGeneratorAutoConfiguration.class,
                IdGeneratorInfoContributorAutoConfiguration.class))
        .withPropertyValues("idgen.node-name=info-node", "idgen.worker.assignment=static", "idgen.worker.id=33");

    @Test
    void contributesTheLayoutWorkerIdNodeAndAssignment() {
        contextRunner.run((context) -> {
            Info.Builder builder = new Info.Builder();
            context.getBean(IdGeneratorInfoContributor.class).contribute(builder);
            Map<String, Object> idgen = map(builder.build().getDetails().get("idgen"));
            assertThat(idgen).containsEntry("workerId", 33)
                .containsEntry("nodeName", "info-node")
                .containsEntry("assignment", "static");
            assertThat(map(idgen.get("layout"))).containsEntry("epoch", "2020-01-01T00:00:00Z")
                .containsEntry("timestampBits", 41)
                .containsEntry("workerIdBits", 10)
                .containsEntry("sequenceBits", 12);
        });
    }

    @Test
    void backsOffWhenDisabled() {
        contextRunner.withPropertyValues("management.info.idgen.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(IdGeneratorInfoContributor.class));
    }

    @Test
    void backsOffWithoutActuator() {
        contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate")).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(IdGeneratorInfoContributor.class);
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

}
