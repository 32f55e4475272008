package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.idgen.server.support.RawHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole server with the starter's real ZooKeeper lease against a real ZooKeeper: it
 * issues ids as the worker id it leased, registers in discovery with that worker id, and
 * on shutdown leaves discovery.
 */
class ZookeeperAssignmentTests {

    @TempDir
    Path stateDir;

    @Test
    void issuesIdsWithALeasedWorkerIdAndIsDiscoverableUntilItShutsDown() throws Exception {
        try (TestingServer zookeeper = new TestingServer(true);
                CuratorFramework observer = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(),
                        new RetryOneTime(100))) {
            observer.start();
            // Command-line arguments: they outrank application.yaml (server.port: 8080),
            // as the
            // builder's default properties would not.
            ConfigurableApplicationContext server = new SpringApplicationBuilder(IdgenServerApplication.class).run(
                    "--server.port=0", "--server.address=127.0.0.1", "--idgen.worker.assignment=zookeeper",
                    "--idgen.worker.state-dir=" + stateDir,
                    "--idgen.zookeeper.connect-string=" + zookeeper.getConnectString(),
                    "--spring.cloud.zookeeper.discovery.instance-host=127.0.0.1");
            try {
                int port = ((WebServerApplicationContext) server).getWebServer().getPort();
                assertThat(port).isNotEqualTo(8080);
                RawHttp.Response issued = RawHttp.get(port, "/ids", null);
                assertThat(issued.status()).isEqualTo(200);
                String workerId = issued.header("X-Idgen-Worker-Id");
                RawHttp.Response readiness = RawHttp.get(port, "/actuator/health/readiness", null);
                assertThat(JsonPath.<String>read(readiness.body(), "$.components.idgen.details.assignment"))
                    .isEqualTo("zookeeper");

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    List<String> instances = instancesOf(observer);
                    assertThat(instances).hasSize(1);
                    String payload = new String(observer.getData().forPath("/services/idgen/" + instances.get(0)));
                    assertThat(payload).contains("\"port\":" + port).contains("\"workerId\":\"" + workerId + "\"");
                });
            }
            finally {
                server.close();
            }
            assertThat(instancesOf(observer)).isEmpty();
        }
    }

    private static List<String> instancesOf(CuratorFramework observer) throws Exception {
        if (observer.checkExists().forPath("/services/idgen") == null) {
            return List.of();
        }
        return observer.getChildren().forPath("/services/idgen");
    }

}
