package dev.idgen.core.lease;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A consistent picture of a lease at one moment, for health, metrics, info and logs.
 *
 * @param state the lease state
 * @param assignment how the worker id is assigned: {@code static}, {@code zookeeper} or
 * {@code embedded}
 * @param workerId the worker id held, or -1 when none is
 * @param nodeName this node's stable identity
 * @param timeLeft how long ids may still be issued without a new confirmation
 * ({@link Duration#ZERO} when none may; a very long duration for static assignment)
 * @param reservedUntil the highest timestamp this holder may issue, or {@code null} when
 * not reserved
 * @param handoverWait how long this holder had to wait past its predecessor's reservation
 * @param reclaims how many times the worker id was claimed again after a loss
 * @param peerClockOffset this node's clock minus the median of live peers' clocks, or
 * {@code null} when not known
 * @param storeLossesDetected how many times a claim found the coordination store's
 * reservation below this node's own durable record: the store lost its data or was
 * replaced
 */
public record LeaseSnapshot(LeaseState state, String assignment, int workerId, String nodeName, Duration timeLeft,
        @Nullable Instant reservedUntil, Duration handoverWait, long reclaims, @Nullable Duration peerClockOffset,
        long storeLossesDetected) {
}
