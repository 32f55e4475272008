package dev.idgen.server.health;

import dev.idgen.core.clock.TimeSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires {@link RecentRefusals} to the generator's clock. */
@Configuration(proxyBeanMethods = false)
public class RefusalHealthConfiguration {

    @Bean
    RecentRefusals recentRefusals(ObjectProvider<TimeSource> timeSource) {
        return new RecentRefusals(timeSource.getIfUnique(TimeSource::system));
    }

    @Bean
    RecentRefusalsHealthIndicator idgenRefusalsHealthIndicator(RecentRefusals recentRefusals) {
        return new RecentRefusalsHealthIndicator(recentRefusals);
    }

}
