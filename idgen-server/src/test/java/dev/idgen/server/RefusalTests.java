package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.idgen.core.clock.ManualTimeSource;
import dev.idgen.server.support.IdgenServerTest;
import dev.idgen.server.support.RawHttp;
import dev.idgen.server.support.SwitchableLease;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The node refuses rather than risk a duplicate: 503 with Retry-After, not ready, and
 * back afterwards.
 */
@IdgenServerTest
class RefusalTests {

    @LocalServerPort
    int port;

    @Autowired
    SwitchableLease lease;

    @Autowired
    ManualTimeSource time;

    @AfterEach
    void restore() {
        lease.regain();
        time.advance(Duration.ofSeconds(30)); // past any clock step and retry hint of the
                                              // test
    }

    @Test
    void answersALostLeaseWith503ProblemAndRetryAfterAndIsNotReadyUntilItIsBack() throws Exception {
        lease.lose();

        for (String target : new String[] { "/ids", "/ids/batch?count=10", "/ids?format=hex" }) {
            RawHttp.Response refused = RawHttp.get(port, target, "application/json");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(JsonPath.<String>read(refused.body(), "$.type"))
                .isEqualTo("urn:idgen:problem:refused:lease_expired");
            assertThat(JsonPath.<String>read(refused.body(), "$.title")).isEqualTo("Worker lease not active");
            assertThat(JsonPath.<String>read(refused.body(), "$.reason")).isEqualTo("lease_expired");
            assertThat(refused.headers()).doesNotContainKey("x-idgen-worker-id");
        }
        RawHttp.Response asText = RawHttp.get(port, "/ids", "text/plain");
        assertThat(asText.status()).isEqualTo(503);
        assertThat(asText.header("Content-Type")).isEqualTo("application/problem+json");

        RawHttp.Response readiness = RawHttp.get(port, "/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(JsonPath.<String>read(readiness.body(), "$.status")).isEqualTo("DOWN");
        assertThat(JsonPath.<String>read(readiness.body(), "$.components.idgen.status")).isEqualTo("DOWN");
        RawHttp.Response liveness = RawHttp.get(port, "/actuator/health/liveness", null);
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(JsonPath.<String>read(liveness.body(), "$.status")).isEqualTo("UP");
        assertThat(RawHttp.get(port, "/actuator/prometheus", "text/plain").body()).containsPattern(
                "idgen_generate_seconds_count\\{[^}]*idgen_kind=\"batch\",idgen_refusal=\"lease_expired\"[^}]*} [1-9]");
        // Parsing needs no lease.
        assertThat(RawHttp.get(port, "/ids/123456789/parse", null).status()).isEqualTo(200);

        lease.regain();

        assertThat(RawHttp.get(port, "/ids", null).status()).isEqualTo(200);
        RawHttp.Response ready = RawHttp.get(port, "/actuator/health/readiness", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(JsonPath.<String>read(ready.body(), "$.status")).isEqualTo("UP");
    }

    @Test
    void answersAClockThatMovedBackTooFarWith503ProblemAndRetryAfterUntilItCatchesUp() throws Exception {
        assertThat(RawHttp.get(port, "/ids", null).status()).isEqualTo(200);
        long before = time.currentTimeMillis();
        time.setMillis(before - 2_500); // an NTP step back, far beyond the 5 ms the
                                        // generator waits out

        RawHttp.Response refused = RawHttp.get(port, "/ids", "text/plain");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(JsonPath.<String>read(refused.body(), "$.type"))
            .isEqualTo("urn:idgen:problem:refused:clock_backwards");
        assertThat(JsonPath.<String>read(refused.body(), "$.title")).isEqualTo("Clock moved backwards");
        long retryAfterMillis = JsonPath.<Number>read(refused.body(), "$.retryAfterMillis").longValue();
        assertThat(retryAfterMillis).isGreaterThanOrEqualTo(2_500);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isEqualTo((retryAfterMillis + 999) / 1000);
        assertThat(RawHttp.get(port, "/ids/batch?count=3", null).status()).isEqualTo(503);

        RawHttp.Response readiness = RawHttp.get(port, "/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(JsonPath.<String>read(readiness.body(), "$.components.idgenRefusals.status")).isEqualTo("DOWN");
        assertThat(JsonPath.<String>read(readiness.body(), "$.components.idgenRefusals.details.reason"))
            .isEqualTo("clock_backwards");

        time.advance(Duration.ofMillis(retryAfterMillis + 1)); // the clock catches up

        assertThat(RawHttp.get(port, "/ids", null).status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/actuator/health/readiness", null).status()).isEqualTo(200);
    }

}
