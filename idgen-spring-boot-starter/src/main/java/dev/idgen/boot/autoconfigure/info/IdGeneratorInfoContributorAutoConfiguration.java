package dev.idgen.boot.autoconfigure.info;

import dev.idgen.boot.autoconfigure.IdGeneratorAutoConfiguration;
import dev.idgen.boot.health.IdGeneratorInfoContributor;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.core.IdGenerator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code idgen} entry of the info endpoint. Off with
 * {@code management.info.idgen.enabled=false}.
 */
@AutoConfiguration(after = IdGeneratorAutoConfiguration.class)
@ConditionalOnClass(InfoContributor.class)
@ConditionalOnBean(IdGenerator.class)
@ConditionalOnBooleanProperty(name = "management.info.idgen.enabled", matchIfMissing = true)
public final class IdGeneratorInfoContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "idgenInfoContributor")
    IdGeneratorInfoContributor idgenInfoContributor(IdGenerator generator, ObjectProvider<ManagedWorkerLease> lease) {
        return new IdGeneratorInfoContributor(generator.layout(), lease.getIfAvailable());
    }

}
