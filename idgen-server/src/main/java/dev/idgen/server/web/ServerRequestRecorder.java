package dev.idgen.server.web;

import dev.idgen.server.tracing.TracePropagationConfiguration;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelSpan;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.stereotype.Component;

/**
 * Records a request of the issuing fast path as Spring Boot's
 * {@code http.server.requests} observation records it, without the observation: the same
 * timer and long-task timer (name, tags and the registry's meter filters), and the same
 * server span, made current for the request, with the same name and tags when it is
 * sampled.
 *
 * <p>
 * Why: profiled under load (JFR, JDK 17, 32 connections, 2 cores), the observation took
 * about 40% of the CPU of a {@code GET /ids}: key values computed, sorted and copied into
 * concurrent maps per request, meters looked up from tags twice per request, and its
 * handlers' bookkeeping. Here the meters are resolved once per (path, status, exception)
 * and the span is only named and tagged when it is sampled.
 *
 * <p>
 * With Spring Boot's OpenTelemetry tracing, a span the sampler drops (nine requests in
 * ten at the default probability) is not wrapped for Micrometer nor made current: nothing
 * reads it, since no span, exemplar or child span is recorded from an unsampled trace and
 * no code on the issuing path logs. Measured under load (JDK 25, 32 connections): the
 * bridge's span and its scope (context, baggage, scope events for the logging MDC) were
 * about a tenth of the bytes a {@code GET /ids} allocated (5.9 KB, now 5.3 KB), and so of
 * its young collections.
 *
 * <p>
 * It serves only requests it can record exactly as the observation would
 * ({@link #records(HttpServletRequest)}): none carrying a trace header (their context
 * goes through the observation's propagation, which this does not repeat), and none at
 * all when the application brings its own {@link ServerRequestObservationConvention}. It
 * honours {@code management.observations.enable.*} (through the observation registry's
 * predicates), {@code management.observations.http.server.requests.name}, and
 * {@code management.observations.key-values.*}.
 */
@Component
public class ServerRequestRecorder {

    static final String DEFAULT_NAME = "http.server.requests";

    private static final String NONE = "none";

    private final ObservationRegistry observations;

    private final @Nullable MeterRegistry meters;

    private final Tracer tracer;

    /**
     * OpenTelemetry's tracer under {@link #tracer}, when that is Micrometer's bridge to
     * it: the sampler's decision is then taken before anything is wrapped or made
     * current.
     */
    private final io.opentelemetry.api.trace.@Nullable Tracer otelTracer;

    private final boolean available;

    private final String name;

    /** The common key values of {@code management.observations.key-values}. */
    private final KeyValues commonKeyValues;

    /** Header names that carry a trace context into a request. */
    private final String[] traceHeaders;

    /** Per path: whether the observation registry lets its observation happen. */
    private final Map<String, Boolean> enabledPaths = new ConcurrentHashMap<>();

    /** The long-task timer of requests in progress, registered at the first request. */
    private volatile @Nullable LongTaskTimer activeTimer;

    /** Per path, status and exception: the timer, registered at its first request. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    public ServerRequestRecorder(ObjectProvider<ObservationRegistry> observations, ObjectProvider<MeterRegistry> meters,
            ObjectProvider<Tracer> tracers, ObjectProvider<io.opentelemetry.api.trace.Tracer> otelTracers,
            ObjectProvider<TextMapPropagator> propagators,
            ObjectProvider<ServerRequestObservationConvention> conventions, Environment environment) {
        this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
        this.meters = meters.getIfAvailable();
        this.tracer = tracers.getIfAvailable(() -> Tracer.NOOP);
        this.otelTracer = (this.tracer instanceof OtelTracer) ? otelTracers.getIfUnique() : null;
        // Only a propagator whose fields are known to name every header it reads tells
        // which requests carry no trace context: none at all, or Spring Boot's one.
        List<TextMapPropagator> found = propagators.orderedStream().toList();
        boolean knownFields = found.isEmpty()
                || (found.size() == 1 && TracePropagationConfiguration.namesEveryField(found.get(0)));
        this.available = knownFields && conventions.getIfAvailable() == null;
        this.traceHeaders = found.isEmpty() ? new String[0] : fieldsOf(found.get(0).fields());
        this.name = environment.getProperty("management.observations.http.server.requests.name", DEFAULT_NAME);
        Map<String, String> keyValues = Binder.get(environment)
            .bind("management.observations.key-values", Bindable.mapOf(String.class, String.class))
            .orElse(Map.of());
        this.commonKeyValues = KeyValues.of(keyValues.entrySet(), Map.Entry::getKey, Map.Entry::getValue);
    }

    /**
     * Whether this records the request exactly as the observation would: it carries no
     * trace header and the application kept Spring Boot's convention.
     */
    boolean records(HttpServletRequest request) {
        if (!available) {
            return false;
        }
        for (String header : traceHeaders) {
            if (request.getHeader(header) != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code exchange} for the request to {@code path} (the endpoint's mapping, as
     * MVC would match it) and records it.
     */
    void record(HttpServletRequest request, HttpServletResponse response, String path, Exchange exchange)
            throws IOException {
        if (!enabled(request, response, path)) {
            exchange.run();
            return;
        }
        long started = System.nanoTime();
        LongTaskTimer active = activeTimer();
        LongTaskTimer.@Nullable Sample inProgress = (active != null) ? active.start() : null;
        @Nullable Span span = startSpan();
        // In scope until the meters are recorded, as the observation's tracing-aware
        // meter handler has it: a sampled request's span becomes the timer's exemplar.
        Tracer.@Nullable SpanInScope scope = (span != null) ? tracer.withSpan(span) : null;
        @Nullable Throwable error = null;
        try {
            exchange.run();
        }
        catch (IOException | RuntimeException | Error ex) {
            // As the observation filter has it: only what escapes is the request's error
            // (an exception resolved into a problem is not), and it answers 500.
            error = ex;
            response.setStatus(500);
            throw ex;
        }
        finally {
            try {
                stop(request, response.getStatus(), path, error, started, inProgress, span);
            }
            finally {
                if (scope != null) {
                    scope.close();
                }
            }
        }
    }

    /**
     * The request's server span, a new trace's root, or {@code null} when OpenTelemetry's
     * sampler dropped it. Named for what it is only if sampled (in stop), as the
     * observation renames its span when it stops: an unsampled span's name is never read.
     */
    private @Nullable Span startSpan() {
        if (otelTracer == null) {
            return tracer.spanBuilder().kind(Span.Kind.SERVER).name(name).start();
        }
        io.opentelemetry.api.trace.Span started = otelTracer.spanBuilder(name).setSpanKind(SpanKind.SERVER).startSpan();
        // A span that does not record (the sampler's DROP) is the propagated span of
        // an unsampled trace: ending it does nothing.
        return started.isRecording() ? OtelSpan.fromOtel(started) : null;
    }

    private void stop(HttpServletRequest request, int status, String path, @Nullable Throwable error, long started,
            LongTaskTimer.@Nullable Sample inProgress, @Nullable Span span) {
        String exception = (error != null) ? exceptionName(error) : NONE;
        Timer timer = timer(request.getMethod(), path, status, exception);
        if (timer != null) {
            timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        if (inProgress != null) {
            inProgress.stop();
        }
        if (span == null) {
            return;
        }
        if (!span.isNoop()) {
            span.name(spanName(request, path));
            for (KeyValue keyValue : lowCardinality(request.getMethod(), path, status, exception)) {
                span.tag(keyValue.getKey(), keyValue.getValue());
            }
            span.tag("http.url", request.getRequestURI());
            if (error != null) {
                span.error(error);
            }
        }
        span.end();
    }

    /**
     * Whether the observation registry's predicates (management.observations.enable.*
     * among them) let the observation of requests to this path happen; asked once per
     * path.
     */
    private boolean enabled(HttpServletRequest request, HttpServletResponse response, String path) {
        Boolean enabled = enabledPaths.get(path);
        if (enabled == null) {
            enabled = !Observation
                .createNotStarted(name, () -> new ServerRequestObservationContext(request, response), observations)
                .isNoop();
            enabledPaths.put(path, enabled);
        }
        return enabled;
    }

    private static String spanName(HttpServletRequest request, String path) {
        return "http " + request.getMethod().toLowerCase(Locale.ROOT) + " " + path;
    }

    private @Nullable LongTaskTimer activeTimer() {
        LongTaskTimer found = activeTimer;
        if (found == null && meters != null) {
            // The observation's tags when it starts: no path matched yet, the status the
            // response has before the handler runs, and not yet the common key values
            // (observation filters apply them when it stops).
            found = LongTaskTimer.builder(name + ".active")
                .tags(tags(conventionKeyValues("GET", "UNKNOWN", 200, NONE)))
                .register(meters);
            activeTimer = found;
        }
        return found;
    }

    private @Nullable Timer timer(String method, String path, int status, String exception) {
        if (meters == null) {
            return null;
        }
        return timers.computeIfAbsent(new TimerKey(method, path, status, exception),
                key -> Timer.builder(name)
                    .tags(tags(lowCardinality(method, path, status, exception)))
                    .tag("error", exception)
                    .register(meters));
    }

    private KeyValues lowCardinality(String method, String path, int status, String exception) {
        return conventionKeyValues(method, path, status, exception).and(commonKeyValues);
    }

    /** What Spring's default convention gives, without the common key values. */
    private static KeyValues conventionKeyValues(String method, String path, int status, String exception) {
        return KeyValues.of(KeyValue.of("exception", exception), KeyValue.of("method", method),
                KeyValue.of("outcome", outcome(status)), KeyValue.of("status", Integer.toString(status)),
                KeyValue.of("uri", path));
    }

    private static Tags tags(KeyValues keyValues) {
        List<Tag> tags = new ArrayList<>();
        for (KeyValue keyValue : keyValues) {
            tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
        }
        return Tags.of(tags);
    }

    private static String outcome(int status) {
        if (status >= 100 && status < 200) {
            return "INFORMATIONAL";
        }
        if (status >= 200 && status < 300) {
            return "SUCCESS";
        }
        if (status >= 300 && status < 400) {
            return "REDIRECTION";
        }
        if (status >= 400 && status < 500) {
            return "CLIENT_ERROR";
        }
        return (status >= 500 && status < 600) ? "SERVER_ERROR" : "UNKNOWN";
    }

    private static String exceptionName(Throwable error) {
        String simple = error.getClass().getSimpleName();
        return simple.isEmpty() ? error.getClass().getName() : simple;
    }

    private static String[] fieldsOf(Collection<String> fields) {
        return fields.toArray(String[]::new);
    }

    /** A request's work: it writes the response, or throws what it could not answer. */
    @FunctionalInterface
    interface Exchange {

        void run() throws IOException;

    }

    private record TimerKey(String method, String path, int status, String exception) {
    }

}
