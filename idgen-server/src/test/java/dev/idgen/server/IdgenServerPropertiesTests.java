package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class IdgenServerPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withUserConfiguration(PropertiesConfiguration.class);

    @ParameterizedTest
    @ValueSource(strings = { "0", "-1", "1000001" })
    void refusesToStartWithABatchLimitOutsideItsRange(String value) {
        runner.withPropertyValues("idgen.server.max-batch-size=" + value).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessage("idgen.server.max-batch-size must be between 1 and 1000000, but was " + value);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "1", "10000", "1000000" })
    void acceptsABatchLimitWithinItsRange(String value) {
        runner.withPropertyValues("idgen.server.max-batch-size=" + value)
            .run(context -> assertThat(context.getBean(IdgenServerProperties.class).getMaxBatchSize())
                .isEqualTo(Integer.parseInt(value)));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IdgenServerProperties.class)
    static class PropertiesConfiguration {

    }

}
