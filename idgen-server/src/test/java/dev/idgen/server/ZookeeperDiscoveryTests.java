package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idgen.server.support.SwitchableLease;
import java.time.Duration;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;

/**
 * With ZooKeeper assignment the node registers in Spring Cloud Zookeeper discovery while
 * its lease is active, and deregisters while it is not. A real ZooKeeper
 * ({@link TestingServer}); the lease is one the test switches, so that losing it is
 * deterministic.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "idgen.worker.assignment=zookeeper",
                "idgen.server.discovery.service-name=idgen-test",
                "spring.cloud.zookeeper.discovery.instance-host=127.0.0.1" })
@Import(ZookeeperDiscoveryTests.LeaseConfiguration.class)
@DirtiesContext // closes the context, and with it ZooKeeper, after this class rather than
                // at JVM exit
class ZookeeperDiscoveryTests {

    private static final TestingServer zookeeper = startZooKeeper();

    @LocalServerPort
    int port;

    @Autowired
    SwitchableLease lease;

    @Autowired
    DiscoveryClient discovery;

    private static TestingServer startZooKeeper() {
        try {
            return new TestingServer(true);
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void zookeeper(DynamicPropertyRegistry registry) {
        registry.add("idgen.zookeeper.connect-string", zookeeper::getConnectString);
    }

    @Test
    void registersWhileTheLeaseIsActiveAndDeregistersWhileItIsNot() {
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(instances()).singleElement().satisfies(instance -> {
                assertThat(instance.getPort()).isEqualTo(port);
                assertThat(instance.getHost()).isEqualTo("127.0.0.1");
                assertThat(instance.getMetadata()).containsEntry("workerId", "11")
                    .containsEntry("nodeName", SwitchableLease.NODE_NAME);
            }));

        lease.lose();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(instances()).isEmpty());

        lease.regain();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(instances()).hasSize(1));
    }

    private List<ServiceInstance> instances() {
        return discovery.getInstances("idgen-test");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class LeaseConfiguration {

        /**
         * The server as a bean, so that it stops with the context, after the clients that
         * use it (beans are destroyed in reverse order of registration, and test
         * configuration comes first).
         */
        @Bean(destroyMethod = "close")
        TestingServer testZooKeeper() {
            return zookeeper;
        }

        @Bean
        SwitchableLease testWorkerLease() {
            return new SwitchableLease(11);
        }

    }

}
