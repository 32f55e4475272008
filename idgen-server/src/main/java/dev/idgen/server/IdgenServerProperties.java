package dev.idgen.server;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the REST service ({@code idgen.server.*}). */
@ConfigurationProperties("idgen.server")
public class IdgenServerProperties {

    /**
     * Upper bound of {@link #getMaxBatchSize()}: a million ids is ~23 MB of JSON and ~250
     * ms of one worker's sequence space.
     */
    public static final int MAX_BATCH_SIZE_LIMIT = 1_000_000;

    /** Largest number of ids one batch request may ask for, 1 to 1000000. */
    private int maxBatchSize = 10_000;

    private final Discovery discovery = new Discovery();

    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(int maxBatchSize) {
        // Fail fast: a zero or huge limit would only show up later as every batch request
        // failing or
        // as one request monopolising a worker's sequence space.
        if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE_LIMIT) {
            throw new IllegalArgumentException("idgen.server.max-batch-size must be between 1 and "
                    + MAX_BATCH_SIZE_LIMIT + ", but was " + maxBatchSize);
        }
        this.maxBatchSize = maxBatchSize;
    }

    public Discovery getDiscovery() {
        return discovery;
    }

    /**
     * Registration in Spring Cloud Zookeeper service discovery (only with ZooKeeper
     * assignment).
     */
    public static class Discovery {

        /**
         * Whether to register this node in ZooKeeper service discovery while it can issue
         * ids. Only takes effect with {@code idgen.worker.assignment=zookeeper}.
         */
        private boolean enabled = true;

        /** Name under which nodes register. */
        private String serviceName = "idgen";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getServiceName() {
            return serviceName;
        }

        public void setServiceName(String serviceName) {
            this.serviceName = serviceName;
        }

    }

}
