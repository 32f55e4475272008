package dev.idgen.server.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TextMapPropagator} that extracts only from a carrier holding at least one of
 * its delegate's fields, and otherwise returns the context unchanged, as each of the
 * delegate's parts would.
 *
 * <p>
 * Why: most requests to an id service carry no trace at all, yet Spring Boot's default
 * composite (W3C, B3 single and multi, baggage) runs every extractor on every request.
 * Under load that was 7% of the server's CPU and 11% of its allocation: a baggage stream
 * pipeline, and a log message B3 builds for the missing header before checking its level.
 * Asking the carrier for each field name is a few header lookups.
 *
 * <p>
 * Only correct for a delegate whose {@link #fields()} name every field its extraction
 * reads; Spring Boot's composite does (it unites its injectors', extractors' and
 * baggage's fields), so {@link TracePropagationConfiguration} gates that one only.
 * Injection is the delegate's, unchanged.
 */
final class HeaderGatedTextMapPropagator implements TextMapPropagator {

    private final TextMapPropagator delegate;

    private final String[] fields;

    HeaderGatedTextMapPropagator(TextMapPropagator delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.fields = delegate.fields().toArray(String[]::new);
    }

    @Override
    public Collection<String> fields() {
        return delegate.fields();
    }

    @Override
    public <C> void inject(Context context, @Nullable C carrier, TextMapSetter<C> setter) {
        delegate.inject(context, carrier, setter);
    }

    @Override
    public <C> Context extract(Context context, @Nullable C carrier, TextMapGetter<C> getter) {
        if (carrier == null) {
            return delegate.extract(context, carrier, getter);
        }
        for (String field : fields) {
            if (getter.get(carrier, field) != null) {
                return delegate.extract(context, carrier, getter);
            }
        }
        return context;
    }

    @Override
    public String toString() {
        return "HeaderGatedTextMapPropagator{" + delegate + "}";
    }

}
