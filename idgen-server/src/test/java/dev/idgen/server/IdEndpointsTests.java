package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.idgen.core.codec.IdFormat;
import dev.idgen.server.support.IdgenServerTest;
import dev.idgen.server.support.SwitchableLease;
import dev.idgen.server.support.TestGeneratorConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

@IdgenServerTest
class IdEndpointsTests {

    private static final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void issuesOneIdAsAJsonStringWithTheWorkerIdHeader() throws Exception {
        HttpResponse<String> response = get("/ids", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).matches("\\{\"id\":\"[0-9]+\"}");
        long id = Long.parseLong(JsonPath.read(response.body(), "$.id"));
        assertThat(TestGeneratorConfiguration.LAYOUT.parse(id).workerId())
            .isEqualTo(TestGeneratorConfiguration.WORKER_ID);
        assertThat(response.headers().firstValue("X-Idgen-Worker-Id"))
            .hasValue(Integer.toString(TestGeneratorConfiguration.WORKER_ID));
    }

    @Test
    void issuesTheBareIdWhenTextIsAccepted() throws Exception {
        HttpResponse<String> response = get("/ids", "text/plain");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body()).matches("[0-9]+");
    }

    @Test
    void prefersTheMediaTypeWithTheHigherQuality() throws Exception {
        assertThat(get("/ids", "application/json;q=0.5, text/plain").body()).matches("[0-9]+");
        assertThat(get("/ids", "text/plain;q=0.5, application/json").body()).startsWith("{\"id\":");
        assertThat(get("/ids", "text/*").body()).matches("[0-9]+");
    }

    @ParameterizedTest
    @EnumSource(IdFormat.class)
    void issuesIdsInEveryFormat(IdFormat format) throws Exception {
        HttpResponse<String> json = get("/ids?format=" + format.formatName(), null);
        HttpResponse<String> text = get("/ids?format=" + format.formatName(), "text/plain");

        String fromJson = JsonPath.read(json.body(), "$.id");
        long first = format.decode(fromJson);
        long second = format.decode(text.body());
        assertThat(second).isGreaterThan(first);
        if (format.fixedLength() > 0) {
            assertThat(fromJson).hasSize(format.fixedLength());
        }
    }

    @Test
    void issuesIncreasingIdsInABatch() throws Exception {
        HttpResponse<String> response = get("/ids/batch?count=5000", null);

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = JsonPath.read(response.body(), "$.ids");
        assertThat(ids).hasSize(5000);
        long[] values = ids.stream().mapToLong(Long::parseLong).toArray();
        assertThat(values).isSorted().doesNotHaveDuplicates();
        assertThat(response.headers().firstValue("X-Idgen-Worker-Id"))
            .hasValue(Integer.toString(TestGeneratorConfiguration.WORKER_ID));
    }

    @Test
    void issuesABatchOfTheConfiguredMaximumSize() throws Exception {
        HttpResponse<String> response = get("/ids/batch?count=10000", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<List<String>>read(response.body(), "$.ids")).hasSize(10000);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 389, 390, 391, 4096, 10000 })
    void aBatchBodyIsWellFormedAndExactlyAsLongAsItsContentLength(int count) throws Exception {
        // The body is written through an 8 KiB buffer, which holds about 390 of the test
        // layout's 18-digit ids: counts around one buffer's worth, and many buffers.
        HttpResponse<String> json = get("/ids/batch?count=" + count, null);
        HttpResponse<String> text = get("/ids/batch?count=" + count, "text/plain");

        assertThat(json.body()).startsWith("{\"ids\":[\"").endsWith("\"]}");
        String[] jsonIds = json.body().substring(9, json.body().length() - 3).split("\",\"", -1);
        assertThat(jsonIds).hasSize(count).allMatch((id) -> id.matches("[0-9]{1,19}"));
        assertThat(text.body()).endsWith("\n");
        assertThat(text.body().split("\n")).hasSize(count).allMatch((id) -> id.matches("[0-9]{1,19}"));
        assertThat(json.headers().firstValueAsLong("Content-Length")).hasValue(json.body().length());
        assertThat(text.headers().firstValueAsLong("Content-Length")).hasValue(text.body().length());
    }

    @ParameterizedTest
    @EnumSource(IdFormat.class)
    void issuesABatchAsTextOneIdPerLineInEveryFormat(IdFormat format) throws Exception {
        HttpResponse<String> response = get("/ids/batch?count=3&format=" + format.formatName(), "text/plain");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).endsWith("\n");
        long[] ids = Arrays.stream(response.body().split("\n")).mapToLong(format::decode).toArray();
        assertThat(ids).hasSize(3).isSorted().doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(IdFormat.class)
    void issuesABatchAsJsonInEveryFormat(IdFormat format) throws Exception {
        HttpResponse<String> response = get("/ids/batch?count=2&format=" + format.formatName(), null);

        List<String> ids = JsonPath.read(response.body(), "$.ids");
        assertThat(format.decode(ids.get(1))).isGreaterThan(format.decode(ids.get(0)));
    }

    @Test
    void parsesAnIdWithTheConfiguredLayoutAndNamesTheNodeThatHeldTheWorkerId() throws Exception {
        // 2024-10-27T12:00:00.123Z under the test layout (epoch 2024-01-01, 8 worker-id
        // bits, 14 sequence bits)
        long timestampField = TestGeneratorConfiguration.START_MILLIS - TestGeneratorConfiguration.LAYOUT.epochMillis();
        long id = TestGeneratorConfiguration.LAYOUT.compose(timestampField, TestGeneratorConfiguration.WORKER_ID, 42);

        HttpResponse<String> response = get("/ids/" + id + "/parse", null);

        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(JsonPath.<String>read(body, "$.id")).isEqualTo(Long.toString(id));
        assertThat(JsonPath.<String>read(body, "$.timestamp")).isEqualTo("2024-10-27T12:00:00.123Z");
        assertThat(JsonPath.<Long>read(body, "$.epochMillis")).isEqualTo(TestGeneratorConfiguration.START_MILLIS);
        assertThat(JsonPath.<Integer>read(body, "$.workerId")).isEqualTo(TestGeneratorConfiguration.WORKER_ID);
        assertThat(JsonPath.<Integer>read(body, "$.sequence")).isEqualTo(42);
        assertThat(JsonPath.<String>read(body, "$.layout.epoch")).isEqualTo("2024-01-01T00:00:00.000Z");
        assertThat(JsonPath.<Integer>read(body, "$.layout.workerIdBits")).isEqualTo(8);
        assertThat(JsonPath.<String>read(body, "$.node.name")).isEqualTo(SwitchableLease.NODE_NAME);
        assertThat(JsonPath.<Boolean>read(body, "$.node.live")).isTrue();
        assertThat(JsonPath.<String>read(body, "$.encodings.hex")).isEqualTo(IdFormat.HEX.encode(id));
    }

    @Test
    void parsesTheMillisecondsEvenWhenTheyAreZero() throws Exception {
        long id = TestGeneratorConfiguration.LAYOUT.compose(0, 1, 0);

        HttpResponse<String> response = get("/ids/" + id + "/parse", null);

        assertThat(JsonPath.<String>read(response.body(), "$.timestamp")).isEqualTo("2024-01-01T00:00:00.000Z");
        assertThat(response.body()).doesNotContain("\"node\""); // worker id 1 has no
                                                                // known holder
    }

    @ParameterizedTest
    @EnumSource(IdFormat.class)
    void parsesAnIdWrittenInEveryFormat(IdFormat format) throws Exception {
        String issued = JsonPath.read(get("/ids?format=" + format.formatName(), null).body(), "$.id");

        HttpResponse<String> response = get("/ids/" + issued + "/parse?format=" + format.formatName(), null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(response.body(), "$.id")).isEqualTo(Long.toString(format.decode(issued)));
        assertThat(JsonPath.<Integer>read(response.body(), "$.workerId"))
            .isEqualTo(TestGeneratorConfiguration.WORKER_ID);
    }

    @Test
    void answersAnUnacceptableMediaTypeWith406Problem() throws Exception {
        HttpResponse<String> response = get("/ids", "application/xml");

        assertProblem(response, 406);
    }

    @Test
    void answersAnUnknownPathWith404Problem() throws Exception {
        assertProblem(get("/nothing-here", null), 404);
        assertProblem(get("/ids/", null), 404);
    }

    @Test
    void answersAnUnsupportedMethodWith405ProblemNamingTheAllowedOnes() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/ids"))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .header("Content-Type", "application/json")
            .build(), HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 405);
        assertThat(response.headers().firstValue("Allow"))
            .hasValueSatisfying(allow -> assertThat(allow).contains("GET"));
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonPath.<Integer>read(response.body(), "$.status")).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

}
