package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.idgen.server.support.IdgenServerTest;
import dev.idgen.server.support.RawHttp;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every parameter with malformed, boundary and hostile values, sent byte for byte over a
 * socket: each must give its documented 4xx problem naming the parameter, and the server
 * must keep serving.
 */
@IdgenServerTest
class BadInputTests {

    private static final String LONG_DIGITS = "9".repeat(3000);

    private static final String LONG_TEXT = "a".repeat(4000);

    @LocalServerPort
    int port;

    static Stream<Arguments> badParameters() {
        return Stream.of(
                // format, on every endpoint
                row("/ids?format=xml", "format"), row("/ids?format=", "format"), row("/ids?format", "format"),
                row("/ids?format=HEX", "format"), row("/ids?format=%20hex", "format"),
                row("/ids?format=hex&format=hex", "format"), row("/ids?format=%zz", "format"),
                row("/ids?format=%", "format"), row("/ids?format=%ff%fe", "format"), row("/ids?format=%00", "format"),
                row("/ids?format=%0d%0aX-Injected:%20yes", "format"),
                row("/ids?format=..%2F..%2Fetc%2Fpasswd", "format"),
                row("/ids?format=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "format"),
                row("/ids?format=" + LONG_TEXT, "format"), row("/ids/batch?count=1&format=octal", "format"),
                row("/ids/batch?count=1&format=decimal&format=hex", "format"),
                row("/ids/1/parse?format=base64", "format"), row("/ids/1/parse?format=hex&format=hex", "format"),
                // unknown parameters
                row("/ids?fromat=hex", "fromat"), row("/ids?count=3", "count"), row("/ids/batch?count=3&cnt=3", "cnt"),
                row("/ids/1/parse?id=2", "id"), row("/ids?%ff=1", "%ff"),
                // count: missing, empty, boundaries, not a number, beyond 64 bits,
                // duplicated
                row("/ids/batch", "count"), row("/ids/batch?format=hex", "count"), row("/ids/batch?count=", "count"),
                row("/ids/batch?count=0", "count"), row("/ids/batch?count=-1", "count"),
                row("/ids/batch?count=10001", "count"), row("/ids/batch?count=2147483648", "count"),
                row("/ids/batch?count=99999999999999999999999", "count"),
                row("/ids/batch?count=" + LONG_DIGITS, "count"), row("/ids/batch?count=1.5", "count"),
                row("/ids/batch?count=1e3", "count"), row("/ids/batch?count=0x10", "count"),
                row("/ids/batch?count=abc", "count"), row("/ids/batch?count=+5", "count"),
                row("/ids/batch?count=%2B5", "count"), row("/ids/batch?count=%205", "count"),
                row("/ids/batch?count=5%00", "count"), row("/ids/batch?count=%D9%A5", "count"), // Arabic-Indic
                                                                                                // digit
                                                                                                // five
                row("/ids/batch?count=%E2%80%AE5", "count"), // right-to-left override
                row("/ids/batch?count=1&count=2", "count"),
                // id: not a number, negative, beyond 64 bits, wrong alphabet or length
                // for the format
                row("/ids/abc/parse", "id"), row("/ids/-1/parse", "id"), row("/ids/+1/parse", "id"),
                row("/ids/1.0/parse", "id"), row("/ids/9223372036854775808/parse", "id"),
                row("/ids/18446744073709551616/parse", "id"), row("/ids/" + LONG_DIGITS + "/parse", "id"),
                row("/ids/12%203/parse", "id"), row("/ids/%07/parse", "id"), row("/ids/%F0%9F%92%A9/parse", "id"),
                row("/ids/0019b4a5c2d3e4f/parse?format=hex", "id"),
                row("/ids/0019b4a5c2d3e4f10/parse?format=hex", "id"),
                row("/ids/0019b4a5c2d3e4g1/parse?format=hex", "id"),
                row("/ids/8000000000000000/parse?format=hex", "id"), row("/ids/00XGwH7wGF/parse?format=base62", "id"),
                row("/ids/00XGwH7wGF-/parse?format=base62", "id"), row("/ids/zzzzzzzzzzz/parse?format=base62", "id"),
                row("/ids/00CV9A9GRQ4Y/parse?format=base32", "id"), row("/ids/00CV9A9GRQ4YU/parse?format=base32", "id"),
                row("/ids/ZZZZZZZZZZZZZ/parse?format=base32", "id"),
                row("/ids/723489123456789/parse?format=base62", "id"));
    }

    private static Arguments row(String target, String parameter) {
        return Arguments.of(target.length() > 80 ? target.substring(0, 80) + "…" : target, target, parameter);
    }

    @ParameterizedTest(name = "{0} -> 400 naming {2}")
    @MethodSource("badParameters")
    void rejectsABadParameterWithAProblemNamingIt(String name, String target, String parameter) throws Exception {
        RawHttp.Response response = RawHttp.get(port, target, "application/json");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(JsonPath.<String>read(response.body(), "$.type")).isEqualTo("urn:idgen:problem:invalid-parameter");
        assertThat(JsonPath.<Integer>read(response.body(), "$.status")).isEqualTo(400);
        assertThat(JsonPath.<String>read(response.body(), "$.parameter")).isEqualTo(parameter);
        assertThat(JsonPath.<String>read(response.body(), "$.detail")).isNotBlank().hasSizeLessThan(300);
        assertThat(response.headers()).doesNotContainKey("x-injected");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    static Stream<Arguments> badParametersOfTextEndpoints() {
        return badParameters().filter(row -> !((String) row.get()[1]).contains("/parse"));
    }

    @ParameterizedTest(name = "{0} -> 400 naming {2}, also when text is asked for")
    @MethodSource("badParametersOfTextEndpoints")
    void rejectsABadParameterWithAProblemEvenWhenTextIsAccepted(String name, String target, String parameter)
            throws Exception {
        RawHttp.Response response = RawHttp.get(port, target, "text/plain");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(JsonPath.<String>read(response.body(), "$.parameter")).isEqualTo(parameter);
    }

    /**
     * Path bytes Tomcat refuses to decode: it answers before routing, so no parameter can
     * be named.
     */
    @ParameterizedTest(name = "{0} -> 400 problem from the container")
    @ValueSource(strings = { "/ids/12%003/parse", "/ids/%ff/parse", "/ids/%2e%2e%5c%2e%2e%5cetc/parse",
            "/ids/..%2F..%2Fetc%2Fpasswd/parse", "/ids/%zz/parse", "/ids/%/parse",
            "/ids/1/parse/../../../../etc/passwd" })
    void rejectsAPathTheContainerCannotDecodeWithAProblem(String target) throws Exception {
        RawHttp.Response response = RawHttp.get(port, target, "application/json");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(JsonPath.<Integer>read(response.body(), "$.status")).isEqualTo(400);
        assertThat(response.body()).doesNotContain("etc").doesNotContain("Exception");
    }

    /**
     * A request head over Tomcat's 8 KB limit is answered, not dropped: the client gets
     * the 400 problem rather than a connection reset (Tomcat's NIO2 connector resets it).
     */
    @ParameterizedTest(name = "{0} bytes of request line -> 400 problem")
    @ValueSource(ints = { 9_000, 100_000 })
    void answersARequestHeadOverTheLimitWithAProblemNotAReset(int length) throws Exception {
        RawHttp.Response response = RawHttp.get(port, "/ids?format=" + "x".repeat(length), "application/json");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(JsonPath.<Integer>read(response.body(), "$.status")).isEqualTo(400);
    }

    /**
     * Spring MVC matches the raw path; dot segments would reach handlers with ".." as a
     * value.
     */
    @ParameterizedTest(name = "{0} -> 400 problem")
    @ValueSource(strings = { "/actuator/health/../env", "/actuator/health/%2e%2e", "/ids/./batch?count=1",
            "/ids/%2E%2e/parse", "/ids/..;x=1/parse" })
    void rejectsDotSegmentsWithAProblem(String target) throws Exception {
        RawHttp.Response response = RawHttp.get(port, target, "application/json");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(JsonPath.<String>read(response.body(), "$.detail")).contains("segments");
    }

    static Stream<Arguments> hostileTargets() {
        return Stream.of(Arguments.of("/ids/../../etc/passwd"), Arguments.of("/ids/..%2F..%2Fetc%2Fpasswd/parse"),
                Arguments.of("/ids/%2e%2e/%2e%2e/etc/passwd"), Arguments.of("/ids/1/parse/../../../../etc/passwd"),
                Arguments.of("/ids/1;jsessionid=x/parse;a=b"), Arguments.of("/ids/%zz/parse"),
                Arguments.of("/ids/%/parse"), Arguments.of("//ids"), Arguments.of("/ids//parse"),
                Arguments.of("/ids/batch/parse"), Arguments.of("/ids?" + "&".repeat(2000)),
                Arguments.of("/ids?" + "a=1&".repeat(500)), Arguments.of("/ids/" + "%41".repeat(1500) + "/parse"),
                Arguments.of("/" + "x".repeat(7000)), Arguments.of("/ids?format=" + "x".repeat(9000)),
                Arguments.of("/actuator/env"), Arguments.of("/actuator/beans"), Arguments.of("/error"),
                Arguments.of("*"));
    }

    /**
     * Whatever the container or the application answers, a hostile request never gets a
     * 5xx.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTargets")
    void neverAnswersAHostileRequestWithAServerError(String target) throws Exception {
        RawHttp.Response response = RawHttp.get(port, target, "application/json");

        assertThat(response.status()).as(target + " -> " + response.body()).isLessThan(500);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    static Stream<Arguments> hostileHeaders() {
        return Stream.of(Arguments.of("Accept", ";;;"), Arguments.of("Accept", "text/plain;q=abc"),
                Arguments.of("Accept", "text/plain;q=2"), Arguments.of("Accept", "*/*;q=0"),
                Arguments.of("Accept", "application/json;" + "a=b;".repeat(500)),
                Arguments.of("Accept", "\u0001\u0002"), Arguments.of("traceparent", "00-zzzz-zzzz-01"),
                Arguments.of("traceparent", "00-00000000000000000000000000000000-0000000000000000-01"),
                Arguments.of("traceparent", "ff-" + "a".repeat(2000)), Arguments.of("b3", "not-a-b3-header"));
    }

    /**
     * Malformed negotiation and tracing headers are a 4xx at worst, and never break the
     * response.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hostileHeaders")
    void neverAnswersAHostileHeaderWithAServerError(String name, String value) throws Exception {
        for (String target : new String[] { "/ids", "/ids/batch?count=2", "/ids/1/parse" }) {
            RawHttp.Response response = RawHttp.getWithHeader(port, target, name, value);

            assertThat(response.status()).as(target + " -> " + response.body()).isLessThan(500);
            if (response.status() >= 400) {
                assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            }
        }
    }

    @AfterEach
    void serverStillServes() throws Exception {
        RawHttp.Response response = RawHttp.get(port, "/ids", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).matches("\\{\"id\":\"[0-9]+\"}");
    }

}
