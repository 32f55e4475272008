package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.idgen.server.discovery.DiscoveryRegistrar;
import dev.idgen.server.support.IdgenServerTest;
import dev.idgen.server.support.RawHttp;
import dev.idgen.server.support.RecordingSpanProcessor;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.time.Duration;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** OpenAPI, Swagger UI, actuator exposure and trace propagation, over a real socket. */
@IdgenServerTest
class OperationsTests {

    @LocalServerPort
    int port;

    @Autowired
    RecordingSpanProcessor spans;

    @Autowired
    ApplicationContext context;

    @Test
    void documentsTheThreeEndpointsWithParametersRangesExamplesAndErrors() throws Exception {
        RawHttp.Response response = RawHttp.get(port, "/v3/api-docs", "application/json");

        assertThat(response.status()).isEqualTo(200);
        String doc = response.body();
        Map<String, Object> paths = JsonPath.read(doc, "$.paths");
        assertThat(paths).containsOnlyKeys("/ids", "/ids/batch", "/ids/{id}/parse");
        assertThat(JsonPath.<List<String>>read(doc, "$.paths['/ids'].get.parameters[*].name"))
            .containsExactly("format");
        assertThat(JsonPath.<List<String>>read(doc, "$.paths['/ids'].get.parameters[0].schema.enum"))
            .containsExactly("decimal", "hex", "base62", "base32");
        assertThat(JsonPath.<List<Object>>read(doc,
                "$.paths['/ids/batch'].get.parameters[?(@.name=='count')].schema.minimum"))
            .containsExactly(1);
        assertThat(JsonPath.<List<Object>>read(doc,
                "$.paths['/ids/batch'].get.parameters[?(@.name=='count')].schema.maximum"))
            .containsExactly(10000);
        assertThat(
                JsonPath.<List<Object>>read(doc, "$.paths['/ids/batch'].get.parameters[?(@.name=='count')].required"))
            .containsExactly(true);
        assertThat(JsonPath.<List<String>>read(doc, "$.paths['/ids/{id}/parse'].get.parameters[*].name"))
            .containsExactlyInAnyOrder("id", "format");
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.paths['/ids'].get.responses")).containsKeys("200", "400",
                "406", "503");
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.paths['/ids/batch'].get.responses")).containsKeys("200",
                "400", "406", "503");
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.paths['/ids/{id}/parse'].get.responses"))
            .containsKeys("200", "400");
        assertThat(JsonPath.<String>read(doc, "$.paths['/ids'].get.responses['503']['$ref']"))
            .isEqualTo("#/components/responses/Refused");
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.components.responses.Refused.headers"))
            .containsKey("Retry-After");
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.components.responses.InvalidParameter.content"))
            .containsKey("application/problem+json");
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.paths['/ids'].get.responses['200'].content"))
            .containsKeys("application/json", "text/plain");
        assertThat(JsonPath.<Object>read(doc, "$.paths['/ids'].get.responses['200'].content['application/json']")
            .toString()).contains("7234891234567890");
        assertThat(JsonPath.<String>read(doc, "$.components.schemas.IdParseResponse.properties.timestamp.example"))
            .isEqualTo("2024-10-27T12:00:00.123Z");
    }

    @Test
    void servesTheSwaggerUi() throws Exception {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> page = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/swagger-ui.html")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).containsIgnoringCase("swagger-ui");
    }

    @Test
    void exposesHealthInfoPrometheusAndMetricsOnly() throws Exception {
        RawHttp.Response links = RawHttp.get(port, "/actuator", "application/json");

        assertThat(JsonPath.<Map<String, Object>>read(links.body(), "$._links").keySet())
            .contains("health", "info", "prometheus", "metrics")
            .allMatch(link -> link.equals("self") || link.startsWith("health") || link.startsWith("info")
                    || link.startsWith("prometheus") || link.startsWith("metrics"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/actuator/env", "/actuator/beans", "/actuator/configprops", "/actuator/heapdump",
            "/actuator/threaddump", "/actuator/loggers", "/actuator/mappings", "/actuator/shutdown",
            "/actuator/refresh" })
    void doesNotExposeOtherActuatorEndpoints(String path) throws Exception {
        RawHttp.Response response = RawHttp.get(port, path, "application/json");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void reportsReadinessWithTheLeaseAndLivenessWithout() throws Exception {
        RawHttp.Response readiness = RawHttp.get(port, "/actuator/health/readiness", null);
        RawHttp.Response liveness = RawHttp.get(port, "/actuator/health/liveness", null);

        assertThat(readiness.status()).isEqualTo(200);
        assertThat(JsonPath.<Map<String, Object>>read(readiness.body(), "$.components"))
            .containsOnlyKeys("readinessState", "idgen", "idgenRefusals");
        assertThat(JsonPath.<Integer>read(readiness.body(), "$.components.idgen.details.workerId")).isEqualTo(37);
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(JsonPath.<Map<String, Object>>read(liveness.body(), "$.components"))
            .containsOnlyKeys("livenessState");
    }

    @Test
    void publishesPrometheusMetricsIncludingTheGenerationObservation() throws Exception {
        assertThat(RawHttp.get(port, "/ids", null).status()).isEqualTo(200);

        RawHttp.Response scrape = RawHttp.get(port, "/actuator/prometheus", "text/plain");

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("idgen_generate_seconds_count{")
            .contains("idgen_kind=\"single\"")
            .contains("http_server_requests_seconds_count{")
            // The worker-id range the range alert divides by: here the default, the whole
            // layout.
            .containsPattern("(?m)^idgen_worker_range_min(\\{[^}]*})? 0\\.0$")
            .containsPattern("(?m)^idgen_worker_range_max(\\{[^}]*})? 1023\\.0$")
            .containsPattern("(?m)^idgen_worker_range_size(\\{[^}]*})? 1024\\.0$");
        assertThat(RawHttp.get(port, "/actuator/metrics/idgen.generate", null).status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/actuator/info", null).body()).contains("\"idgen\"");
    }

    @Test
    void continuesAnIncomingTraceAndRecordsIdGenerationAsItsOwnSpan() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parentSpanId = "00f067aa0ba902b7";
        HttpResponse<String> response = getIds("traceparent", "00-" + traceId + "-" + parentSpanId + "-01");

        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(spans.spansOfTrace(traceId)).hasSizeGreaterThanOrEqualTo(2));
        List<SpanData> trace = spans.spansOfTrace(traceId);
        SpanData server = trace.stream()
            .filter(span -> span.getParentSpanId().equals(parentSpanId))
            .findFirst()
            .orElseThrow();
        SpanData generate = trace.stream()
            .filter(span -> span.getName().equals("idgen.generate"))
            .findFirst()
            .orElseThrow();
        assertThat(generate.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(generate.getAttributes().asMap().toString()).contains("idgen.kind=single");
    }

    @Test
    void continuesAB3MultiHeaderTraceThroughTheHeaderGatedPropagator() throws Exception {
        String traceId = "6df92f3577b34da6a3ce929d0e0e4738";
        String parentSpanId = "10f067aa0ba902b8";
        HttpResponse<String> response = getIds("X-B3-TraceId", traceId, "X-B3-SpanId", parentSpanId, "X-B3-Sampled",
                "1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(context.getBean(TextMapPropagator.class).getClass().getSimpleName())
            .isEqualTo("HeaderGatedTextMapPropagator");
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(spans.spansOfTrace(traceId))
                .anySatisfy(span -> assertThat(span.getParentSpanId()).isEqualTo(parentSpanId)));
    }

    @Test
    void anUnsampledTraceGetsNoGenerationSpanYetEveryGenerationIsTimed() throws Exception {
        String traceId = "5cf92f3577b34da6a3ce929d0e0e4737";
        double before = generationCount();

        HttpResponse<String> response = getIds("traceparent", "00-" + traceId + "-00f067aa0ba902b7-00");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(generationCount()).isEqualTo(before + 1);
        assertThat(spans.spansOfTrace(traceId)).isEmpty();
    }

    /** GET /ids over a real socket with the given header names and values. */
    private HttpResponse<String> getIds(String... headers) throws Exception {
        return HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ids")).headers(headers).build(),
                    HttpResponse.BodyHandlers.ofString());
    }

    private double generationCount() throws Exception {
        String body = RawHttp.get(port, "/actuator/metrics/idgen.generate?tag=idgen.kind:single", null).body();
        List<Number> counts = JsonPath.read(body, "$.measurements[?(@.statistic=='COUNT')].value");
        assertThat(counts).hasSize(1);
        return counts.get(0).doubleValue();
    }

    @Test
    void leavesServiceDiscoveryOffWithoutZooKeeperAssignment() {
        assertThat(context.getEnvironment().getProperty("spring.cloud.zookeeper.enabled")).isEqualTo("false");
        assertThat(context.getBeanNamesForType(DiscoveryRegistrar.class)).isEmpty();
        assertThat(context.getBeanNamesForType(CuratorFramework.class)).isEmpty();
    }

}
