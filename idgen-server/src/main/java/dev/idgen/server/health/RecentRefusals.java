package dev.idgen.server.health;

import dev.idgen.core.IdGenerationException;
import dev.idgen.core.RefusalReason;
import dev.idgen.core.clock.TimeSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the latest refusal that the lease's own health cannot see (the clock stepped
 * back, the clock is outside the layout's range, a hand-over wait too long), until its
 * retry-after hint has passed on the monotonic clock. Lost or expired leases are left to
 * the {@code idgen} health contributor, which sees them directly.
 *
 * <p>
 * While such a refusal is fresh the node is not ready, so load balancers send requests
 * elsewhere instead of to a node that would refuse them; it becomes ready again by itself
 * when the clock has had time to catch up, without needing a request to find out.
 */
public final class RecentRefusals {

    private final TimeSource time;

    private volatile @Nullable Refusal latest;

    public RecentRefusals(TimeSource time) {
        this.time = time;
    }

    /** A refusal and the monotonic instant until which it counts. */
    public record Refusal(RefusalReason reason, String message, long untilNanos) {
    }

    /** Called on every refusal; cheap, and never on the happy path. */
    public void refused(IdGenerationException e) {
        if (e.reason() == RefusalReason.LEASE_EXPIRED) {
            return;
        }
        String message = Objects.requireNonNull(e.getMessage(), "every IdGenerationException is made with a message");
        latest = new Refusal(e.reason(), message, time.nanoTime() + e.retryAfterMillis() * 1_000_000L);
    }

    /** The refusal that still counts now, or {@code null}. */
    public @Nullable Refusal current() {
        Refusal refusal = latest;
        if (refusal == null || time.nanoTime() - refusal.untilNanos() >= 0) {
            return null;
        }
        return refusal;
    }

}
