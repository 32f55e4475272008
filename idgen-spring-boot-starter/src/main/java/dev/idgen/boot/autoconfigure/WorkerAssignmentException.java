package dev.idgen.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.cloud.CloudPlatform;

/**
 * Start-up refused because {@code idgen.worker.assignment} is missing, or is
 * {@code embedded} where more than one instance can run: both would let two nodes issue
 * the same ids. Explained by {@link WorkerAssignmentFailureAnalyzer}.
 */
public final class WorkerAssignmentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The property to set. */
    public static final String PROPERTY = "idgen.worker.assignment";

    private final @Nullable CloudPlatform cloudPlatform;

    private WorkerAssignmentException(String message, @Nullable CloudPlatform cloudPlatform) {
        super(message);
        this.cloudPlatform = cloudPlatform;
    }

    /** No assignment is configured and none is guessed. */
    static WorkerAssignmentException missing() {
        return new WorkerAssignmentException(PROPERTY + " is not set; it must be zookeeper, static or embedded", null);
    }

    /**
     * Embedded assignment on a cloud platform, where replicas would each run their own
     * ZooKeeper.
     */
    static WorkerAssignmentException embeddedOn(CloudPlatform platform) {
        return new WorkerAssignmentException(PROPERTY + "=embedded is refused on the cloud platform " + platform
                + ": every replica would lease worker ids from its own in-process ZooKeeper", platform);
    }

    /**
     * The detected cloud platform embedded assignment was refused on, or {@code null}
     * when the assignment is missing.
     */
    public @Nullable CloudPlatform cloudPlatform() {
        return cloudPlatform;
    }

}
