package dev.idgen.boot.health;

import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.core.IdLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds {@code idgen} to the info endpoint: the id layout (needed to decode ids
 * elsewhere), the worker id, the node name and how the worker id is assigned.
 */
public final class IdGeneratorInfoContributor implements InfoContributor {

    private final IdLayout layout;

    private final @Nullable ManagedWorkerLease lease;

    /**
     * {@code lease} may be {@code null} when the application brings its own generator
     * without one.
     */
    public IdGeneratorInfoContributor(IdLayout layout, @Nullable ManagedWorkerLease lease) {
        this.layout = layout;
        this.lease = lease;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Object> layoutDetails = new LinkedHashMap<>();
        layoutDetails.put("epoch", layout.epoch().toString());
        layoutDetails.put("timestampBits", layout.timestampBits());
        layoutDetails.put("workerIdBits", layout.workerIdBits());
        layoutDetails.put("sequenceBits", layout.sequenceBits());
        layoutDetails.put("maxWorkerId", layout.maxWorkerId());
        layoutDetails.put("lastInstant", layout.lastInstant().toString());
        details.put("layout", layoutDetails);
        if (lease != null) {
            LeaseSnapshot snapshot = lease.snapshot();
            details.put("workerId", snapshot.workerId());
            details.put("nodeName", snapshot.nodeName());
            details.put("assignment", snapshot.assignment());
        }
        builder.withDetail("idgen", details);
    }

}
