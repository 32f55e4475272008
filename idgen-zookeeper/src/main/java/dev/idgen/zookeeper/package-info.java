/**
 * The worker-id lease on ZooKeeper, as a Curator-style recipe:
 * {@link dev.idgen.zookeeper.ZooKeeperWorkerLease}.
 *
 * <h2>The parts</h2>
 * <ul>
 * <li>{@link dev.idgen.zookeeper.ZooKeeperWorkerLease}: the public recipe; lifecycle and
 * wiring only.</li>
 * <li>{@code LeaseCoordinator}: the decisions (claim, heartbeat, loss, release), on the
 * coordinator lane.</li>
 * <li>{@code ClaimStore}: every znode write: claims, reservations, node records, the
 * store marker.</li>
 * <li>{@code PeerClockVote}: the member record and the cross-node clock vote.</li>
 * <li>{@code Fence}: the window the generator reads, the state, the monotonic watchdog;
 * no I/O.</li>
 * <li>{@link dev.idgen.zookeeper.ReservationLog}: this node's durable floor per worker id
 * ({@code FileReservationLog} in production).</li>
 * <li>{@link dev.idgen.zookeeper.ZnodeStore} and
 * {@link dev.idgen.zookeeper.LeaseScheduler}: the only ways out, to the store and to time
 * passing; the deterministic simulator implements both.</li>
 * <li>{@link dev.idgen.zookeeper.ZooKeeperLeaseSettings}: every setting, defined and
 * validated once.</li>
 * </ul>
 *
 * <h2>Why two holders of a worker id never issue the same id</h2>
 * <p>
 * An id is {@code (timestamp, worker id, sequence)}. The generator
 * ({@code SnowflakeIdGenerator} in the core) never repeats within one process: one
 * compare-and-set on an ever-growing state per id. So a duplicate needs two claims of the
 * same worker id to issue the same timestamp. Each step below says what prevents that and
 * which code does it.
 * <ol>
 * <li><b>One live claim per worker id.</b> A claim is the EPHEMERAL node
 * {@code claims/<id>}, created and never taken over: when it exists, the claim fails
 * ({@code ClaimStore.tryClaim}); a node found after a retried create is ours only if
 * {@code ephemeralOwner} is our session. ZooKeeper deletes it when the session ends.</li>
 * <li><b>Issuing only inside a window, under the reservation.</b> The generator issues a
 * timestamp only if it lies strictly inside the published
 * {@link dev.idgen.core.lease.LeaseWindow}. The window is published
 * ({@code Fence.publish}) only after ZooKeeper accepted a reservation, and never reaches
 * past it: {@code notAfter <= reservedUntil + 1}.</li>
 * <li><b>Reservations are written in order.</b> Every write of {@code reservations/<id>}
 * is a {@code multi} conditional on the reservation's own version
 * ({@code ClaimStore.reserve}, {@code extend}, {@code release}), so a holder cannot
 * extend a reservation after a new holder read it: whoever writes second has seen the
 * first write. The same {@code multi} checks the claim node, which proves only that a
 * node of that name exists (its version is always 0; it is never changed). That it is
 * <i>ours</i> follows from step 1: it is ephemeral, was created by this session (owner
 * and {@code czxid} were checked when it was made), and ZooKeeper deletes it when the
 * session ends, so while the session lives nobody else can have created it. Safety
 * between holders rests on the reservation's version.</li>
 * <li><b>A new claim starts strictly after the last one.</b> A claim reads the previous
 * reservation and issues only strictly after it ({@code notBefore}, in timestamp values,
 * so clock skew between the two holders does not matter), and not before this node's own
 * durable floor ({@code ReservationLog.floor}) or the young-store quarantine (step
 * 7).</li>
 * <li><b>The final reservation covers every id issued.</b> At a graceful close the window
 * is withdrawn first ({@code Fence.closing}), then every generator built on the lease is
 * settled ({@link dev.idgen.core.lease.IssuedIds#settle()}: calls in flight start over
 * and see the withdrawn window) and reports the highest timestamp it ever issued,
 * borrowed ones included; the final reservation is
 * {@code max(notBefore, min(reservedUntil, highest issued))}
 * ({@code LeaseCoordinator.finalReservation}), from the generators' own record, never
 * from a clock read. With no generator tracked, the reservation is not lowered at
 * all.</li>
 * <li><b>Fencing, so an unreachable holder stops first.</b> The window also ends at the
 * send time of the last confirmed request plus the negotiated session timeout minus the
 * safety margin, on the monotonic clock ({@code LeaseCoordinator.deadline}); a watchdog
 * withdraws it then ({@code Fence.expireIfDue}), so a wall-clock step cannot stretch it,
 * and ZooKeeper cannot expire the session (and free the claim) sooner. Steps 2–4 already
 * prevent duplicates without it; fencing keeps a stale holder from issuing alongside a
 * new one at all.</li>
 * <li><b>A store that lost its data.</b> It knows no reservations. The durable floor
 * ({@code FileReservationLog}, recorded before any window is published on a reservation)
 * keeps a node from reissuing its own ids whatever its clock says; the {@code store}
 * marker's creation time plus twice the peer clock limit keeps every claim after anything
 * issued before the loss by a node whose clock was within the limit
 * ({@code ClaimStore.reserve}).</li>
 * </ol>
 * What this rests on: ZooKeeper's guarantees (linearizable writes, session expiry not
 * before the negotiated timeout after the last request the server received), monotonic
 * clocks whose rate differs from the servers' by less than the safety margin over a
 * session timeout, and, only after a loss of the store's data, wall clocks within the
 * peer clock limit. The deterministic simulator in this module's tests
 * ({@code docs/simulation.md}) checks these steps against millions of fault schedules.
 */
@NullMarked
package dev.idgen.zookeeper;

import org.jspecify.annotations.NullMarked;
