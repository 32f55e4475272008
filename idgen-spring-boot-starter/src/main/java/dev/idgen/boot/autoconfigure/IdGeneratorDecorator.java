package dev.idgen.boot.autoconfigure;

import dev.idgen.core.IdGenerator;

/**
 * Wraps the auto-configured {@link IdGenerator} before it becomes a bean, for example to
 * sample its latency. Beans of this type are applied in
 * {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface IdGeneratorDecorator {

    IdGenerator decorate(IdGenerator generator);

}
