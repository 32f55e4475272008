package dev.idgen.server.support;

import dev.idgen.core.IdGenerator;
import dev.idgen.core.IdLayout;
import dev.idgen.core.clock.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A generator the tests control: worker id {@value #WORKER_ID} from a
 * {@link SwitchableLease}, a clock that only moves when told to (or when the generator
 * waits), and a non-default layout, so that parsing is seen to use the configured layout
 * rather than the default one.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestGeneratorConfiguration {

    public static final int WORKER_ID = 37;

    /** Epoch 2024-01-01, 41 timestamp, 8 worker-id and 14 sequence bits. */
    public static final IdLayout LAYOUT = IdLayout.of(Instant.parse("2024-01-01T00:00:00Z"), 41, 8, 14);

    /** 2024-10-27T12:00:00.123Z, the seeds' example instant. */
    public static final long START_MILLIS = 1_730_030_400_123L;

    @Bean
    SwitchableLease testWorkerLease() {
        return new SwitchableLease(WORKER_ID);
    }

    @Bean
    ManualTimeSource testTimeSource() {
        return new ManualTimeSource(START_MILLIS);
    }

    @Bean
    IdGenerator testIdGenerator(SwitchableLease testWorkerLease, ManualTimeSource testTimeSource) {
        return IdGenerator.builder()
            .layout(LAYOUT)
            .lease(testWorkerLease)
            .timeSource(testTimeSource)
            .maxLeaseWait(Duration.ZERO)
            .build();
    }

}
