package dev.idgen.boot.autoconfigure.metrics;

import dev.idgen.boot.autoconfigure.IdGeneratorAutoConfiguration;
import dev.idgen.boot.autoconfigure.IdGeneratorDecorator;
import dev.idgen.boot.autoconfigure.IdGeneratorSettings;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.boot.metrics.ClockDriftMeters;
import dev.idgen.boot.metrics.IdGeneratorLeaseMeters;
import dev.idgen.boot.metrics.MicrometerIdGenerationListener;
import dev.idgen.boot.ntp.ClockDriftSource;
import dev.idgen.core.IdGenerationListener;
import dev.idgen.core.IdGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for the id generator: the design's {@code ids_generated_total},
 * {@code generation_latency_seconds}, {@code clock_drift_milliseconds},
 * {@code sequence_resets_total}, {@code clock_backwards_total}, plus refusals, the
 * worker-id lease and the worker-id range the node may claim from
 * ({@code idgen.worker.range}, as configured whatever the assignment: a static node's id
 * also takes one of its region's range).
 *
 * <p>
 * Meters are registered on the application's {@link MeterRegistry} when their beans are
 * created (no {@code MeterBinder} beans), so they exist whichever registries the
 * application configures. Runs after the generator's auto-configuration so that its lease
 * is known; the generator picks up the listener and the latency sampler through bean
 * lookups made when it is created.
 */
@AutoConfiguration(after = IdGeneratorAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, IdGenerator.class })
@ConditionalOnBean(MeterRegistry.class)
public final class IdGeneratorMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(IdGenerationListener.class)
    MicrometerIdGenerationListener idgenMicrometerListener(MeterRegistry registry) {
        return new MicrometerIdGenerationListener(registry);
    }

    /**
     * Samples latency only when the generator is ours to wrap and the listener is the
     * Micrometer one.
     */
    @Bean
    @ConditionalOnBean(MicrometerIdGenerationListener.class)
    IdGeneratorDecorator idgenLatencySampler(MicrometerIdGenerationListener idgenMicrometerListener) {
        return idgenMicrometerListener::timed;
    }

    @Bean
    @ConditionalOnBean(ManagedWorkerLease.class)
    @ConditionalOnMissingBean
    IdGeneratorLeaseMeters idgenLeaseMeters(MeterRegistry registry, ManagedWorkerLease lease,
            IdGeneratorSettings settings) {
        IdGeneratorLeaseMeters meters = new IdGeneratorLeaseMeters(lease, settings.minWorkerId(),
                settings.maxWorkerId());
        meters.bindTo(registry);
        return meters;
    }

    @Bean
    @ConditionalOnMissingBean
    ClockDriftMeters idgenClockDriftMeters(MeterRegistry registry, ObjectProvider<ClockDriftSource> drift) {
        ClockDriftMeters meters = new ClockDriftMeters(drift.getIfAvailable());
        meters.bindTo(registry);
        return meters;
    }

}
