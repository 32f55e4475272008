package dev.idgen.bench.jmh;

import dev.idgen.boot.metrics.MicrometerIdGenerationListener;
import dev.idgen.core.IdGenerator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The "metrics on" generator: what a Spring Boot application with Micrometer gets from
 * the starter, namely a generator reporting to {@link MicrometerIdGenerationListener},
 * wrapped by that listener's latency sampler
 * ({@link MicrometerIdGenerationListener#timed}). The registry is a
 * {@link SimpleMeterRegistry}, whose counters are striped like those of the Prometheus
 * registry.
 */
final class MetricsOnGenerator {

    /** What the comparison table prints as the metrics-on configuration. */
    static final String DESCRIPTION = "MicrometerIdGenerationListener(new SimpleMeterRegistry()), generator wrapped by its timed(...) sampler";

    private MetricsOnGenerator() {
    }

    /** A metered generator built like {@code builder} would build it with metrics off. */
    static IdGenerator build(IdGenerator.Builder builder) {
        MicrometerIdGenerationListener listener = new MicrometerIdGenerationListener(new SimpleMeterRegistry());
        return listener.timed(builder.listener(listener).build());
    }

}
