package dev.idgen.server.discovery;

import dev.idgen.boot.autoconfigure.IdGeneratorSettings;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.server.IdgenServerProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.zookeeper.CuratorFrameworkCustomizer;
import org.springframework.cloud.zookeeper.discovery.ZookeeperDiscoveryProperties;
import org.springframework.cloud.zookeeper.serviceregistry.ZookeeperServiceRegistry;
import org.springframework.context.annotation.Bean;

/**
 * Registration in Spring Cloud Zookeeper discovery, for nodes with ZooKeeper assignment
 * only. An auto-configuration (listed in this module's {@code AutoConfiguration.imports})
 * so that it can wait for Spring Cloud Zookeeper's registry and the starter's lease.
 */
@AutoConfiguration(
        afterName = { "org.springframework.cloud.zookeeper.serviceregistry.ZookeeperServiceRegistryAutoConfiguration",
                "dev.idgen.boot.autoconfigure.IdGeneratorAutoConfiguration" })
@ConditionalOnClass(ZookeeperServiceRegistry.class)
@ConditionalOnProperty(name = "idgen.worker.assignment", havingValue = "zookeeper")
@ConditionalOnBooleanProperty(name = "idgen.server.discovery.enabled", matchIfMissing = true)
public final class DiscoveryConfiguration {

    /**
     * Spring Cloud Zookeeper builds the client here, and the lease reuses it: it must
     * authenticate and apply idgen's ACL as the client the starter would have built
     * ({@code idgen.zookeeper.auth.*}).
     */
    @Bean
    CuratorFrameworkCustomizer idgenZooKeeperAuthentication(IdGeneratorSettings settings) {
        return settings.zooKeeper()::authenticate;
    }

    @Bean
    @ConditionalOnBean({ ZookeeperServiceRegistry.class, ManagedWorkerLease.class })
    DiscoveryRegistrar idgenDiscoveryRegistrar(ZookeeperServiceRegistry registry, ManagedWorkerLease lease,
            IdgenServerProperties properties, ZookeeperDiscoveryProperties discoveryProperties) {
        return new DiscoveryRegistrar(registry, lease, properties.getDiscovery().getServiceName(),
                discoveryProperties.getInstanceHost());
    }

}
