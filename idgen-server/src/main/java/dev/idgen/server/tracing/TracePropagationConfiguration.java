package dev.idgen.server.tracing;

import io.opentelemetry.context.propagation.TextMapPropagator;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Gates Spring Boot's trace propagator on the presence of its headers
 * ({@link HeaderGatedTextMapPropagator}). A propagator the application defines itself is
 * left alone: nothing says its fields name everything it reads.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(TextMapPropagator.class)
public class TracePropagationConfiguration {

    /**
     * The class of the propagator Spring Boot builds from management.tracing.propagation.
     */
    static final String BOOT_COMPOSITE = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.CompositeTextMapPropagator";

    /**
     * Whether a request that carries none of the propagator's
     * {@link TextMapPropagator#fields() fields} carries no trace context for it: true of
     * Spring Boot's propagator, which this configuration gates; nothing says so of any
     * other.
     */
    public static boolean namesEveryField(TextMapPropagator propagator) {
        return propagator instanceof HeaderGatedTextMapPropagator;
    }

    @Bean
    static BeanPostProcessor headerGatedTextMapPropagator() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof TextMapPropagator propagator && bean.getClass().getName().equals(BOOT_COMPOSITE)) {
                    return new HeaderGatedTextMapPropagator(propagator);
                }
                return bean;
            }
        };
    }

}
