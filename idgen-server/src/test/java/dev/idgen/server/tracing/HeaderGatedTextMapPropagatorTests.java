package dev.idgen.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class HeaderGatedTextMapPropagatorTests {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static final String SPAN = "00f067aa0ba902b7";

    /**
     * What Spring Boot composes by default: W3C, B3 single and multi, and W3C baggage.
     */
    private final TextMapPropagator real = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
            B3Propagator.injectingSingleHeader(), B3Propagator.injectingMultiHeaders(),
            W3CBaggagePropagator.getInstance());

    private final HeaderGatedTextMapPropagator gated = new HeaderGatedTextMapPropagator(real);

    static List<Map<String, String>> carriers() {
        return List.of(Map.of(), Map.of("Host", "idgen", "Accept", "*/*"),
                Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01"),
                Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-00", "tracestate", "vendor=1"),
                Map.of("TraceParent", "00-" + TRACE + "-" + SPAN + "-01"), Map.of("b3", TRACE + "-" + SPAN + "-1"),
                Map.of("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Sampled", "1"),
                Map.of("x-b3-traceid", TRACE, "x-b3-spanid", SPAN), Map.of("baggage", "tenant=acme"),
                Map.of("traceparent", "not a trace"));
    }

    @ParameterizedTest
    @MethodSource("carriers")
    void extractsExactlyWhatTheUngatedPropagatorExtracts(Map<String, String> headers) {
        Context gatedResult = gated.extract(Context.root(), headers, HEADERS);
        Context realResult = real.extract(Context.root(), headers, HEADERS);

        assertThat(Span.fromContext(gatedResult).getSpanContext())
            .isEqualTo(Span.fromContext(realResult).getSpanContext());
        assertThat(Baggage.fromContext(gatedResult)).isEqualTo(Baggage.fromContext(realResult));
    }

    @Test
    void continuesATraceFromAnyOfTheHeadersItGatesOn() {
        for (Map<String, String> headers : List.of(Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01"),
                Map.of("b3", TRACE + "-" + SPAN + "-1"), Map.of("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN))) {
            SpanContext parent = Span.fromContext(gated.extract(Context.root(), headers, HEADERS)).getSpanContext();

            assertThat(parent.getTraceId()).as("%s", headers).isEqualTo(TRACE);
            assertThat(parent.getSpanId()).as("%s", headers).isEqualTo(SPAN);
        }
    }

    @Test
    void leavesTheContextAloneWithoutCallingTheDelegateWhenNoFieldIsPresent() {
        AtomicInteger extractions = new AtomicInteger();
        TextMapPropagator counting = new TextMapPropagator() {
            @Override
            public List<String> fields() {
                return real.fields().stream().toList();
            }

            @Override
            public <C> void inject(Context context, @Nullable C carrier,
                    io.opentelemetry.context.propagation.TextMapSetter<C> setter) {
                real.inject(context, carrier, setter);
            }

            @Override
            public <C> Context extract(Context context, @Nullable C carrier, TextMapGetter<C> getter) {
                extractions.incrementAndGet();
                return real.extract(context, carrier, getter);
            }
        };
        HeaderGatedTextMapPropagator gatedCounting = new HeaderGatedTextMapPropagator(counting);
        Context context = Context.root().with(Baggage.builder().put("kept", "yes").build());

        assertThat(gatedCounting.extract(context, Map.of("Host", "idgen"), HEADERS)).isSameAs(context);
        assertThat(extractions).hasValue(0);
        gatedCounting.extract(context, Map.of("baggage", "tenant=acme"), HEADERS);
        assertThat(extractions).hasValue(1);
    }

    @Test
    void injectsAndNamesTheSameFieldsAsItsDelegate() {
        Map<String, String> viaGate = new TreeMap<>();
        Map<String, String> viaReal = new TreeMap<>();
        Context traced = gated.extract(Context.root(), Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01"),
                HEADERS);

        gated.inject(traced, viaGate, Map::put);
        real.inject(traced, viaReal, Map::put);

        assertThat(viaGate).isEqualTo(viaReal).containsKey("traceparent");
        assertThat(gated.fields()).containsExactlyElementsOf(real.fields());
    }

    /** HTTP headers: names match whatever their case, as a servlet container's do. */
    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public @Nullable String get(@Nullable Map<String, String> carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return carrier.entrySet()
                .stream()
                .filter(header -> header.getKey().equalsIgnoreCase(key))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        }
    };

}
