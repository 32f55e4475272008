package dev.idgen.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link WorkerAssignmentException}: what {@code idgen.worker.assignment} is
 * for, why it was refused, and which value to choose.
 */
class WorkerAssignmentFailureAnalyzer extends AbstractFailureAnalyzer<WorkerAssignmentException> {

    private static final String CHOICES = """
                zookeeper  lease worker ids from a ZooKeeper ensemble that every node shares
                           (set idgen.zookeeper.connect-string to it)
                static     the operator gives every node a distinct idgen.worker.id
                embedded   an in-process ZooKeeper: ONE HOST ONLY (development, a single node);
                           refused on a cloud platform
            """.stripTrailing();

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WorkerAssignmentException cause) {
        String property = WorkerAssignmentException.PROPERTY;
        if (cause.cloudPlatform() == null) {
            return new FailureAnalysis("No worker-id assignment is configured: " + property + " is not set."
                    + " idgen does not guess one, because the only choice that needs nothing else (embedded) gives"
                    + " every host worker id 0 of its own ZooKeeper, and two such hosts issue the same ids.",
                    "Set " + property + " to one of:\n" + CHOICES, cause);
        }
        return new FailureAnalysis(
                property + " is embedded, but the application runs on the cloud platform " + cause.cloudPlatform()
                        + " (detected by Spring Boot). In embedded mode every replica leases"
                        + " worker ids from its own in-process ZooKeeper, so two replicas issue the same ids.",
                "Set " + property + " to zookeeper (with idgen.zookeeper.connect-string naming the ensemble every"
                        + " replica shares) or to static (with a distinct idgen.worker.id per replica). Choices:\n"
                        + CHOICES,
                cause);
    }

}
