package dev.idgen.server.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ZookeeperDiscoveryEnvironmentPostProcessorTests {

    private final ZookeeperDiscoveryEnvironmentPostProcessor postProcessor = new ZookeeperDiscoveryEnvironmentPostProcessor();

    @Test
    void leavesSpringCloudZookeeperOffByDefaultAndWithStaticAssignment() {
        assertThat(processed(Map.of()).getProperty("spring.cloud.zookeeper.enabled")).isEqualTo("false");
        assertThat(processed(Map.of("idgen.worker.assignment", "static")).getProperty("spring.cloud.zookeeper.enabled"))
            .isEqualTo("false");
        assertThat(
                processed(Map.of("idgen.worker.assignment", "embedded")).getProperty("spring.cloud.zookeeper.enabled"))
            .isEqualTo("false");
    }

    @Test
    void pointsSpringCloudZookeeperAtTheLeaseEnsembleWithZooKeeperAssignment() {
        StandardEnvironment environment = processed(Map.of("idgen.worker.assignment", "zookeeper",
                "idgen.zookeeper.connect-string", "zk1:2181,zk2:2181", "idgen.zookeeper.session-timeout", "12s"));

        assertThat(environment.getProperty("spring.cloud.zookeeper.enabled")).isEqualTo("true");
        assertThat(environment.getProperty("spring.cloud.zookeeper.connect-string")).isEqualTo("zk1:2181,zk2:2181");
        assertThat(environment.getProperty("spring.cloud.zookeeper.session-timeout")).isEqualTo("12s");
        assertThat(environment.getProperty("spring.cloud.service-registry.auto-registration.enabled"))
            .isEqualTo("false");
    }

    @Test
    void staysOffWhenDiscoveryIsDisabled() {
        assertThat(processed(Map.of("idgen.worker.assignment", "zookeeper", "idgen.server.discovery.enabled", "false"))
            .getProperty("spring.cloud.zookeeper.enabled")).isEqualTo("false");
    }

    @Test
    void letsExplicitSettingsWin() {
        StandardEnvironment environment = processed(
                Map.of("idgen.worker.assignment", "zookeeper", "spring.cloud.zookeeper.connect-string", "other:2181"));

        assertThat(environment.getProperty("spring.cloud.zookeeper.connect-string")).isEqualTo("other:2181");
    }

    private StandardEnvironment processed(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        postProcessor.postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

}
