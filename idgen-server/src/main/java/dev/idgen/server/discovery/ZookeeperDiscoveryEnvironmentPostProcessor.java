package dev.idgen.server.discovery;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns Spring Cloud Zookeeper on only where a ZooKeeper ensemble is configured anyway
 * ({@code idgen.worker.assignment=zookeeper}) and discovery is wanted
 * ({@code idgen.server.discovery.enabled}, on by default), pointed at the same ensemble
 * with the same session timeout as the worker-id lease: Spring Cloud Zookeeper builds the
 * Curator client that the starter then reuses, and the lease's safety margins assume its
 * own session timeout.
 *
 * <p>
 * These are defaults, added with the lowest precedence: anything set explicitly wins.
 * Embedded and static nodes get {@code spring.cloud.zookeeper.enabled=false}, so nothing
 * tries to connect to {@code localhost:2181} and nothing registers. Spring Cloud's own
 * automatic registration is always off: {@link DiscoveryRegistrar} registers only while
 * the node can issue ids.
 */
public class ZookeeperDiscoveryEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String PROPERTY_SOURCE_NAME = "idgenZookeeperDiscoveryDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        boolean register = "zookeeper".equalsIgnoreCase(environment.getProperty("idgen.worker.assignment", "").trim())
                && environment.getProperty("idgen.server.discovery.enabled", Boolean.class, true);
        defaults.put("spring.cloud.zookeeper.enabled", register);
        defaults.put("spring.cloud.service-registry.auto-registration.enabled", false);
        if (register) {
            defaults.put("spring.cloud.zookeeper.connect-string", "${idgen.zookeeper.connect-string:}");
            defaults.put("spring.cloud.zookeeper.session-timeout", "${idgen.zookeeper.session-timeout:30s}");
        }
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
    }

}
