package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idgen.server.support.IdgenServerTest;
import dev.idgen.server.support.RawHttp;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code management.observations.enable.http.server.requests=false} holds on the fast
 * path too.
 */
@IdgenServerTest
@TestPropertySource(properties = "management.observations.enable.http.server.requests=false")
class ServerRequestMetricsDisabledTests {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Test
    void recordsNoRequestMetricsWhenTheObservationIsSwitchedOff() throws Exception {
        assertThat(RawHttp.get(port, "/ids", null).status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/ids/batch?count=0", null).status()).isEqualTo(400);
        assertThat(RawHttp
            .getWithHeader(port, "/ids", "traceparent", "00-2af7651916cd43dd8448eb211c80319e-b7ad6b7169203333-01")
            .status()).isEqualTo(200);

        assertThat(registry.find("http.server.requests").timers()).isEmpty();
        assertThat(registry.find("http.server.requests.active").longTaskTimers()).isEmpty();
        assertThat(registry.find("idgen.generate").timers()).as("the generation's own timer stays").isNotEmpty();
    }

}
