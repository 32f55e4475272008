package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idgen.server.support.IdgenServerTest;
import dev.idgen.server.support.RawHttp;
import dev.idgen.server.support.RecordingSpanProcessor;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The issuing fast path records a request without a trace header itself
 * ({@code ServerRequestRecorder}) and one with a trace header through Spring Boot's
 * {@code http.server.requests} observation: both must give the same meters and the same
 * server span.
 */
@IdgenServerTest
@Import(ServerRequestMetricsTests.ObservationCounter.class)
@TestPropertySource(properties = "management.observations.key-values.region=test-region")
class ServerRequestMetricsTests {

    private static final String UNSAMPLED_PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";

    private static final String SAMPLED_PARENT = "00-1af7651916cd43dd8448eb211c80319d-b7ad6b7169203332-01";

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Autowired
    ObservationCounter observations;

    @Autowired
    RecordingSpanProcessor spans;

    @ParameterizedTest
    @CsvSource({ "/ids, /ids, 200", "/ids?format=hex, /ids, 200", "/ids/batch?count=3, /ids/batch, 200",
            "/ids/batch?count=0, /ids/batch, 400", "/ids?format=roman, /ids, 400" })
    void recordsTheSameTimerAsTheObservationForTheSameRequest(String target, String uri, int status) throws Exception {
        Map<Meter.Id, Long> before = requestCounts(uri);
        int observedBefore = observations.count.get();

        assertThat(RawHttp.get(port, target, null).status()).isEqualTo(status);
        assertThat(observations.count.get()).as("an untraced request is not observed").isEqualTo(observedBefore);
        assertThat(RawHttp.getWithHeader(port, target, "traceparent", UNSAMPLED_PARENT).status()).isEqualTo(status);
        assertThat(observations.count.get()).as("a traced request is observed").isEqualTo(observedBefore + 1);
        // An Accept header the fast path leaves to Spring MVC: the reference.
        assertThat(RawHttp.get(port, target, "application/json, */*;q=0.5").status()).isEqualTo(status);

        Map<Meter.Id, Long> grown = requestCounts(uri);
        grown.replaceAll((id, count) -> count - before.getOrDefault(id, 0L));
        grown.values().removeIf(delta -> delta == 0);
        assertThat(grown).as("one timer counted the three requests: the same name and tags").hasSize(1);
        Meter.Id id = grown.keySet().iterator().next();
        assertThat(grown.get(id)).isEqualTo(3);
        assertThat(id.getTag("status")).isEqualTo(Integer.toString(status));
        assertThat(id.getTag("region")).as("management.observations.key-values").isEqualTo("test-region");
    }

    @Test
    void registersNoOtherRequestsInProgressTimerThanTheObservations() throws Exception {
        assertThat(RawHttp.get(port, "/ids", null).status()).isEqualTo(200);
        assertThat(RawHttp.getWithHeader(port, "/ids", "traceparent", UNSAMPLED_PARENT).status()).isEqualTo(200);

        List<LongTaskTimer> active = List.copyOf(registry.find("http.server.requests.active").longTaskTimers());

        assertThat(active).as("the fast path's long-task timer has the observation's id").hasSize(1);
        assertThat(active.get(0).activeTasks()).isZero();
    }

    @Test
    void givesAnUntracedRequestTheObservationsServerSpan() throws Exception {
        assertThat(RawHttp.getWithHeader(port, "/ids", "traceparent", SAMPLED_PARENT).status()).isEqualTo(200);
        int before = spans.all().size();
        assertThat(RawHttp.get(port, "/ids", null).status()).isEqualTo(200);
        List<SpanData> untraced = spans.all().subList(before, spans.all().size());

        SpanData observed = serverSpan(spans.spansOfTrace(SAMPLED_PARENT.substring(3, 35)));
        SpanData recorded = serverSpan(untraced);
        assertThat(recorded.getParentSpanContext().isValid()).as("a new trace").isFalse();
        assertThat(recorded.getName()).isEqualTo(observed.getName()).isEqualTo("http get /ids");
        assertThat(recorded.getKind()).isEqualTo(observed.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(attributes(recorded)).isEqualTo(attributes(observed));
        assertThat(untraced).as("the generation's span, a child of the server span").anySatisfy(span -> {
            assertThat(span.getName()).isEqualTo("idgen.generate");
            assertThat(span.getParentSpanId()).isEqualTo(recorded.getSpanId());
        });
    }

    private static SpanData serverSpan(List<SpanData> spans) {
        return spans.stream().filter(span -> span.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    }

    private static Map<String, String> attributes(SpanData span) {
        return span.getAttributes()
            .asMap()
            .entrySet()
            .stream()
            .collect(Collectors.toMap(entry -> ((AttributeKey<?>) entry.getKey()).getKey(),
                    entry -> String.valueOf(entry.getValue())));
    }

    private Map<Meter.Id, Long> requestCounts(String uri) {
        Map<Meter.Id, Long> counts = new HashMap<>();
        for (Timer timer : registry.find("http.server.requests").tag("uri", uri).timers()) {
            counts.put(timer.getId(), timer.count());
        }
        return counts;
    }

    /** Counts the {@code http.server.requests} observations that start. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ObservationCounter {

        final AtomicInteger count = new AtomicInteger();

        @Bean
        ObservationHandler<Observation.Context> serverRequestObservationCounter() {
            return new ObservationHandler<>() {
                @Override
                public void onStart(Observation.Context context) {
                    if ("http.server.requests".equals(context.getName())) {
                        count.incrementAndGet();
                    }
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            };
        }

    }

}
