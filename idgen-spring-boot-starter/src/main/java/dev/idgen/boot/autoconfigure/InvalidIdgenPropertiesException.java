package dev.idgen.boot.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Start-up refused because one or more {@code idgen.*} properties are invalid: every one
 * that was found, each naming the property, its value and what it must be. Explained by
 * {@link InvalidIdgenPropertiesFailureAnalyzer}. The first problem is also the cause, so
 * that code looking for an {@link InvalidConfigurationPropertyValueException} in the
 * chain still finds one.
 */
public final class InvalidIdgenPropertiesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<InvalidConfigurationPropertyValueException> problems;

    InvalidIdgenPropertiesException(List<InvalidConfigurationPropertyValueException> problems) {
        super(message(problems), problems.get(0));
        this.problems = List.copyOf(problems);
        for (InvalidConfigurationPropertyValueException other : this.problems.subList(1, this.problems.size())) {
            addSuppressed(other);
        }
    }

    /** Every invalid property found, in the order the properties are checked. */
    public List<InvalidConfigurationPropertyValueException> problems() {
        return problems;
    }

    private static String message(List<InvalidConfigurationPropertyValueException> problems) {
        return problems.size() + " invalid idgen propert" + ((problems.size() == 1) ? "y: " : "ies: ")
                + problems.stream()
                    .map((p) -> p.getName() + "=" + p.getValue() + " " + p.getReason())
                    .collect(Collectors.joining("; "));
    }

}
