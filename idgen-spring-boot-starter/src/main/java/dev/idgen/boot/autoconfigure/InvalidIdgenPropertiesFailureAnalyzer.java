package dev.idgen.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Explains an {@link InvalidIdgenPropertiesException}: every invalid property in one
 * list, each with its value, where that value was set, and what it must be. Ordered
 * first, so that Spring Boot's own analyzer of the single
 * {@link InvalidConfigurationPropertyValueException} in the cause chain does not report
 * just the first one.
 */
class InvalidIdgenPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidIdgenPropertiesException>
        implements Ordered {

    private final Environment environment;

    InvalidIdgenPropertiesFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidIdgenPropertiesException cause) {
        int count = cause.problems().size();
        StringBuilder description = new StringBuilder();
        description.append((count == 1) ? "An idgen property is invalid:" : count + " idgen properties are invalid:");
        description.append("\n");
        for (InvalidConfigurationPropertyValueException problem : cause.problems()) {
            description.append("\n    ").append(problem.getName()).append(" = ").append(problem.getValue());
            String origin = origin(problem.getName());
            if (origin != null) {
                description.append("    (").append(origin).append(")");
            }
            description.append("\n        ").append(problem.getReason()).append("\n");
        }
        String action = "Change " + ((count == 1) ? "the property" : "each property") + " above to a value its"
                + " line allows. Nothing was started: no worker id was claimed.";
        return new FailureAnalysis(description.toString().stripTrailing(), action, cause);
    }

    /**
     * Where the property's value was set (a file and line, an environment variable), when
     * known.
     */
    private @Nullable String origin(String property) {
        if (!(environment instanceof ConfigurableEnvironment)) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null) {
                return (found.getOrigin() != null) ? found.getOrigin().toString() : null;
            }
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

}
