package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.idgen.server.support.RawHttp;
import java.nio.file.Path;
import java.util.List;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The server as shipped: its application.yaml opts in to the one-host embedded ZooKeeper
 * (on a free port here), which leases the worker id, and says loudly that this is
 * development mode; nothing of the test replaces a bean. Also a non-default batch limit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "idgen.zookeeper.embedded.port=0",
                "idgen.server.max-batch-size=50" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedDefaultTests {

    @TempDir
    static Path stateDir;

    @DynamicPropertySource
    static void stateDir(DynamicPropertyRegistry registry) {
        registry.add("idgen.worker.state-dir", stateDir::toString);
    }

    @LocalServerPort
    int port;

    @Test
    void issuesAndParsesIdsWithTheEmbeddedLease() throws Exception {
        RawHttp.Response issued = RawHttp.get(port, "/ids", null);

        assertThat(issued.status()).isEqualTo(200);
        String workerId = issued.header("X-Idgen-Worker-Id");
        assertThat(workerId).matches("[0-9]+");
        String id = JsonPath.read(issued.body(), "$.id");

        RawHttp.Response parsed = RawHttp.get(port, "/ids/" + id + "/parse", null);
        assertThat(parsed.status()).isEqualTo(200);
        assertThat(JsonPath.<Integer>read(parsed.body(), "$.workerId")).isEqualTo(Integer.parseInt(workerId));
        assertThat(JsonPath.<Integer>read(parsed.body(), "$.layout.workerIdBits")).isEqualTo(10);
        assertThat(JsonPath.<String>read(parsed.body(), "$.layout.epoch")).isEqualTo("2020-01-01T00:00:00.000Z");
        assertThat(JsonPath.<Boolean>read(parsed.body(), "$.node.live")).isTrue();

        RawHttp.Response readiness = RawHttp.get(port, "/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(JsonPath.<String>read(readiness.body(), "$.components.idgen.details.assignment"))
            .isEqualTo("embedded");
    }

    @Test
    void warnsAtStartUpThatThisIsOneHostModeAndNamesThePropertyForMore(CapturedOutput output) {
        assertThat(output).containsPattern("WARN .* idgen.worker.assignment=embedded: ONE-HOST DEVELOPMENT MODE")
            .contains("For more than one node set idgen.worker.assignment=zookeeper");
    }

    @Test
    void enforcesTheConfiguredBatchLimitAndDocumentsIt() throws Exception {
        assertThat(JsonPath.<List<String>>read(RawHttp.get(port, "/ids/batch?count=50", null).body(), "$.ids"))
            .hasSize(50);

        RawHttp.Response tooMany = RawHttp.get(port, "/ids/batch?count=51", null);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(JsonPath.<String>read(tooMany.body(), "$.detail")).contains("between 1 and 50");

        String doc = RawHttp.get(port, "/v3/api-docs", null).body();
        assertThat(JsonPath.<List<Object>>read(doc,
                "$.paths['/ids/batch'].get.parameters[?(@.name=='count')].schema.maximum"))
            .containsExactly(50);
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void onPlatformThreadsServesFromAPoolOfTwiceTheCpusNotTomcats200(
            @Autowired ServletWebServerApplicationContext context) {
        AbstractProtocol<?> handler = (AbstractProtocol<?>) ((TomcatWebServer) context.getWebServer()).getTomcat()
            .getConnector()
            .getProtocolHandler();

        int expected = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        assertThat(handler.getMaxThreads()).isEqualTo(expected);
        assertThat(handler.getMinSpareThreads()).isEqualTo(expected);
    }

}
