package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idgen.core.IdGenerator;
import dev.idgen.core.IdLayout;
import dev.idgen.server.support.IdgenServerTest;
import dev.idgen.server.support.RawHttp;
import dev.idgen.server.support.RecordingSpanProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/**
 * At a sampling probability of 0, every untraced request's trace is dropped: the issuing
 * fast path then records its meters but makes no span current (wrapping and scoping a
 * span nothing reads was a tenth of such a request's allocation). A sampled incoming
 * trace is still honoured.
 */
@IdgenServerTest
@TestPropertySource(properties = "management.tracing.sampling.probability=0.0")
@Import(UnsampledTraceTests.CurrentSpanAtGeneration.class)
class UnsampledTraceTests {

    private static final String SAMPLED_PARENT = "00-2af7651916cd43dd8448eb211c80319e-b7ad6b7169203333-01";

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Autowired
    RecordingSpanProcessor spans;

    @Autowired
    CurrentSpanAtGeneration generations;

    @BeforeEach
    void forgetEarlierGenerations() {
        generations.seen.clear();
    }

    @Test
    void anUntracedRequestWhoseTraceIsDroppedIsCountedWithNoSpanCurrentAndNoneRecorded() throws Exception {
        long countedBefore = requestCount();
        int spansBefore = spans.all().size();

        assertThat(RawHttp.get(port, "/ids", null).status()).isEqualTo(200);

        assertThat(generations.seen).as("the current span while the id was generated").containsExactly("none");
        assertThat(requestCount()).isEqualTo(countedBefore + 1);
        assertThat(spans.all()).hasSize(spansBefore);
    }

    @Test
    void aSampledIncomingTraceIsStillFollowed() throws Exception {
        assertThat(RawHttp.getWithHeader(port, "/ids", "traceparent", SAMPLED_PARENT).status()).isEqualTo(200);

        assertThat(generations.seen).containsExactly("sampled " + SAMPLED_PARENT.substring(3, 35));
        assertThat(spans.spansOfTrace(SAMPLED_PARENT.substring(3, 35))).isNotEmpty();
    }

    private long requestCount() {
        return registry.find("http.server.requests").tag("uri", "/ids").timers().stream().mapToLong(Timer::count).sum();
    }

    /** Notes, at each generation, the span the request has made current. */
    @TestConfiguration(proxyBeanMethods = false)
    static class CurrentSpanAtGeneration {

        final List<String> seen = new CopyOnWriteArrayList<>();

        @Bean
        @Primary
        IdGenerator spanNotingIdGenerator(@Qualifier("testIdGenerator") IdGenerator generator, Tracer tracer) {
            return new IdGenerator() {
                @Override
                public long nextId() {
                    note(tracer.currentSpan());
                    return generator.nextId();
                }

                @Override
                public long[] nextIds(int count) {
                    note(tracer.currentSpan());
                    return generator.nextIds(count);
                }

                @Override
                public IdLayout layout() {
                    return generator.layout();
                }
            };
        }

        private void note(Span span) {
            if (span == null) {
                seen.add("none");
            }
            else {
                String sampled = Boolean.TRUE.equals(span.context().sampled()) ? "sampled " : "unsampled ";
                seen.add(sampled + span.context().traceId());
            }
        }

    }

}
