package dev.idgen.boot.autoconfigure;

import dev.idgen.core.lease.WorkerIdUnavailableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Explains a {@link WorkerIdUnavailableException} at start-up: every worker id of
 * {@code idgen.worker.range} is held by a live node, so this one cannot issue ids, and
 * waiting will not change that by itself.
 */
class WorkerIdUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<WorkerIdUnavailableException> {

    private final Environment environment;

    WorkerIdUnavailableFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WorkerIdUnavailableException cause) {
        String range = environment.getProperty("idgen.worker.range");
        String configured = (range != null && !range.isBlank()) ? "idgen.worker.range=" + range.trim()
                : "idgen.worker.range (not set: every id idgen.layout.worker-id-bits allows)";
        return new FailureAnalysis(
                "No worker id is free: every id of " + configured + " is held by another live"
                        + " node, so this node cannot issue ids. " + cause.getMessage(),
                "Either stop a node that holds one of these ids (a graceful shutdown releases its id at once), or widen"
                        + " idgen.worker.range on every node of this region: never into another region's range, and"
                        + " within what idgen.layout.worker-id-bits allows.",
                cause);
    }

}
