package dev.idgen.boot.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.idgen.boot.autoconfigure.IdGeneratorAutoConfiguration;
import dev.idgen.boot.metrics.MicrometerIdGenerationListener;
import dev.idgen.boot.ntp.LoopbackNtpServerAccess;
import dev.idgen.boot.ntp.NtpDriftMonitor;
import dev.idgen.core.ClockMovedBackwardsException;
import dev.idgen.core.IdGenerationListener;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.clock.ManualTimeSource;
import dev.idgen.core.clock.TimeSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class IdGeneratorMetricsAutoConfigurationTests {

    private static final long NOW = 1_800_000_000_000L;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(IdGeneratorAutoConfiguration.class, IdGeneratorMetricsAutoConfiguration.class))
        .withPropertyValues("idgen.node-name=metrics-node", "idgen.worker.assignment=static", "idgen.worker.id=5")
        .withBean(SimpleMeterRegistry.class);

    @Test
    void countsIdsAndSequenceResetsAndClockSteps() {
        ManualTimeSource time = new ManualTimeSource(NOW);
        contextRunner.withBean(TimeSource.class, () -> time).run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            IdGenerator generator = context.getBean(IdGenerator.class);
            generator.nextId();
            generator.nextIds(4096); // one more than a millisecond holds: the sequence
                                     // runs out once
            assertThat(registry.get("ids.generated").counter().count()).isEqualTo(4097);
            assertThat(registry.get("sequence.resets").counter().count()).isEqualTo(1);

            time.setMillis(time.currentTimeMillis() - 2); // within the 5 ms the wait
                                                          // policy waits out
            generator.nextId();
            assertThat(registry.get("clock.backwards").counter().count()).isEqualTo(1);

            time.setMillis(time.currentTimeMillis() - 1_000); // beyond it: refused
            assertThatExceptionOfType(ClockMovedBackwardsException.class).isThrownBy(generator::nextId);
            assertThat(registry.get("idgen.refusals").tags("reason", "clock_backwards").counter().count()).isEqualTo(1);
            assertThat(registry.get("idgen.refusals").tags("reason", "lease_expired").counter().count()).isZero();
        });
    }

    @Test
    void samplesLatencyRatherThanTimingEveryCall() {
        contextRunner.run((context) -> {
            IdGenerator generator = context.getBean(IdGenerator.class);
            int calls = 20_000;
            for (int i = 0; i < calls; i++) {
                generator.nextId();
            }
            long timed = context.getBean(MeterRegistry.class)
                .get("generation.latency")
                .tags("call", "single")
                .timer()
                .count();
            // About 1 in 64: far fewer than all calls, and (with overwhelming
            // probability) some.
            assertThat(timed).isPositive().isLessThan(calls / 16);
        });
    }

    @Test
    void registersLeaseMeters() {
        contextRunner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("idgen.worker.id").gauge().value()).isEqualTo(5);
            assertThat(registry.get("idgen.lease.state").tags("state", "active").gauge().value()).isEqualTo(1);
            assertThat(registry.get("idgen.lease.state").tags("state", "lost").gauge().value()).isZero();
            assertThat(registry.get("idgen.lease.time.left").gauge().value()).isGreaterThan(1e9);
            assertThat(registry.get("idgen.lease.reclaims").functionCounter().count()).isZero();
            assertThat(registry.get("idgen.lease.store.losses").functionCounter().count()).isZero();
            assertThat(registry.get("idgen.lease.handover.wait").gauge().value()).isZero();
            assertThat(registry.get("idgen.peer.clock.offset").gauge().value()).isNaN();
            assertThat(registry.get("clock.drift").gauge().value()).isNaN();
            assertThat(registry.get("ids.generated").counter().getId().getDescription()).isNotBlank();
            assertThat(registry.get("idgen.lease.time.left").gauge().getId().getBaseUnit()).isEqualTo("seconds");
        });
    }

    @Test
    void exportsTheConfiguredWorkerIdRange() {
        contextRunner.withPropertyValues("idgen.worker.range=100-199", "idgen.worker.id=150").run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("idgen.worker.range.min").gauge().value()).isEqualTo(100);
            assertThat(registry.get("idgen.worker.range.max").gauge().value()).isEqualTo(199);
            assertThat(registry.get("idgen.worker.range.size").gauge().value()).isEqualTo(100);
            assertThat(registry.get("idgen.worker.range.size").gauge().getId().getDescription()).isNotBlank();
        });
    }

    @Test
    void withoutARangeTheWholeLayoutIsTheRange() {
        contextRunner.withPropertyValues("idgen.layout.worker-id-bits=8", "idgen.layout.sequence-bits=14")
            .run((context) -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("idgen.worker.range.min").gauge().value()).isZero();
                assertThat(registry.get("idgen.worker.range.max").gauge().value()).isEqualTo(255);
                assertThat(registry.get("idgen.worker.range.size").gauge().value()).isEqualTo(256);
            });
    }

    @Test
    void clockDriftFollowsTheNtpMonitor() throws Exception {
        try (LoopbackNtpServerAccess ntp = new LoopbackNtpServerAccess(Duration.ofMillis(-200))) {
            contextRunner.withPropertyValues("idgen.clock.ntp.servers=" + ntp.address()).run((context) -> {
                await().atMost(Duration.ofSeconds(10)).until(context.getBean(NtpDriftMonitor.class)::isCritical);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("clock.drift").gauge().value()).isCloseTo(200, within(40.0));
                assertThat(registry.get("idgen.ntp.offset").gauge().value()).isCloseTo(-200, within(40.0));
            });
        }
    }

    @Test
    void prometheusShowsTheDesignsMetricNames() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(IdGeneratorAutoConfiguration.class,
                    IdGeneratorMetricsAutoConfiguration.class))
            .withPropertyValues("idgen.node-name=metrics-node", "idgen.worker.assignment=static", "idgen.worker.id=5",
                    "idgen.worker.range=0-99")
            .withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .run((context) -> {
                context.getBean(IdGenerator.class).nextIds(10);
                String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
                assertThat(scrape).contains("ids_generated_total 10.0", "generation_latency_seconds_count",
                        "generation_latency_seconds_bucket", "clock_drift_milliseconds", "sequence_resets_total",
                        "clock_backwards_total", "idgen_refusals_total{reason=\"lease_expired\"}",
                        "idgen_worker_id 5.0", "idgen_lease_state{state=\"active\"} 1.0",
                        "idgen_lease_time_left_seconds", "idgen_lease_reclaims_total", "idgen_lease_store_losses_total",
                        "idgen_lease_wait_seconds", "idgen_lease_handover_wait_seconds",
                        "idgen_peer_clock_offset_milliseconds", "idgen_ntp_offset_milliseconds",
                        "idgen_worker_range_min 0.0", "idgen_worker_range_max 99.0", "idgen_worker_range_size 100.0",
                        "# HELP idgen_worker_range_size Number of worker ids");
            });
    }

    @Test
    void withBootsMetricsAutoConfigurationTheMetersLandOnTheApplicationsRegistry() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(IdGeneratorMetricsAutoConfiguration.class,
                    IdGeneratorAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .withPropertyValues("idgen.node-name=metrics-node", "idgen.worker.assignment=static", "idgen.worker.id=5")
            .run((context) -> {
                assertThat(context).hasSingleBean(MicrometerIdGenerationListener.class);
                context.getBean(IdGenerator.class).nextIds(3);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("ids.generated").counter().count()).isEqualTo(3);
                assertThat(registry.get("idgen.worker.id").gauge().value()).isEqualTo(5);
            });
    }

    @Test
    void aUserListenerWins() {
        IdGenerationListener mine = new IdGenerationListener() {
        };
        contextRunner.withBean(IdGenerationListener.class, () -> mine).run((context) -> {
            assertThat(context).doesNotHaveBean(MicrometerIdGenerationListener.class);
            assertThat(context.getBean(MeterRegistry.class).find("ids.generated").counter()).isNull();
            // Lease meters do not depend on the listener.
            assertThat(context.getBean(MeterRegistry.class).get("idgen.worker.id").gauge().value()).isEqualTo(5);
        });
    }

    @Test
    void backsOffWithoutAMeterRegistry() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(IdGeneratorAutoConfiguration.class,
                    IdGeneratorMetricsAutoConfiguration.class))
            .withPropertyValues("idgen.node-name=metrics-node", "idgen.worker.assignment=static", "idgen.worker.id=5")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(MicrometerIdGenerationListener.class);
            });
    }

    @Test
    void backsOffWithoutMicrometer() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(IdGeneratorAutoConfiguration.class,
                    IdGeneratorMetricsAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader("io.micrometer"))
            .withPropertyValues("idgen.node-name=metrics-node", "idgen.worker.assignment=static", "idgen.worker.id=5")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(MicrometerIdGenerationListener.class);
                assertThat(context).hasSingleBean(IdGenerator.class);
            });
    }

}
