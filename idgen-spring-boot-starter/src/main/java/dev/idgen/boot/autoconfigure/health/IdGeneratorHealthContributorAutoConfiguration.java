package dev.idgen.boot.autoconfigure.health;

import dev.idgen.boot.autoconfigure.IdGeneratorAutoConfiguration;
import dev.idgen.boot.health.IdGeneratorHealthIndicator;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.boot.ntp.ClockDriftSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code idgen} health contributor (bean {@code idgenHealthIndicator}; Spring Boot
 * drops the {@code HealthIndicator} suffix). Off with
 * {@code management.health.idgen.enabled=false}.
 *
 * <p>
 * The enablement condition sits on a nested class so that it is only read once the class
 * check has passed: without {@code spring-boot-health} its condition class does not
 * exist.
 */
@AutoConfiguration(after = IdGeneratorAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
public final class IdGeneratorHealthContributorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(ManagedWorkerLease.class)
    @ConditionalOnEnabledHealthIndicator("idgen")
    static class IdGeneratorHealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "idgenHealthIndicator")
        IdGeneratorHealthIndicator idgenHealthIndicator(ManagedWorkerLease lease,
                ObjectProvider<ClockDriftSource> drift) {
            return new IdGeneratorHealthIndicator(lease, drift.getIfAvailable());
        }

    }

}
