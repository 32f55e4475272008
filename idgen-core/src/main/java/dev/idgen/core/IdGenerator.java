package dev.idgen.core;

import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.WorkerLease;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Issues unique 64-bit ids: {@code timestamp | worker id | sequence} as laid out by
 * {@link #layout()}.
 *
 * <p>
 * Implementations are thread-safe, and the ids of one generator strictly increase across
 * all threads. A generator refuses (throws an {@link IdGenerationException}) rather than
 * issue an id that could duplicate one issued before, by itself or by another holder of
 * its worker id.
 */
public interface IdGenerator {

    /**
     * The next id.
     * @throws IdGenerationException if an id cannot be issued safely now
     */
    long nextId();

    /**
     * The next {@code count} ids, in increasing order. Reserves them with one atomic step
     * per millisecond they span rather than one per id.
     * @throws IllegalArgumentException if {@code count} is less than 1
     * @throws IdGenerationException if the ids cannot be issued safely now; none of them
     * is then issued to the caller
     */
    long[] nextIds(int count);

    /** Splits an id into its parts using this generator's layout. */
    default IdParts parse(long id) {
        return layout().parse(id);
    }

    /** The layout of this generator's ids. */
    IdLayout layout();

    /** A builder for the standard Snowflake generator. */
    static Builder builder() {
        return new Builder();
    }

    /** Configures a Snowflake generator. Only {@link #lease(WorkerLease)} is required. */
    final class Builder {

        /**
         * Default tolerated backward step for {@link ClockBackwardsPolicy#WAIT}, as in
         * the design: 5 ms.
         */
        public static final Duration DEFAULT_MAX_BACKWARD_WAIT = Duration.ofMillis(5);

        /** Default lead over the clock for {@link ClockBackwardsPolicy#BORROW}: 1 s. */
        public static final Duration DEFAULT_MAX_BORROW = Duration.ofSeconds(1);

        /** Default longest wait for a lease window to open before refusing: 1 s. */
        public static final Duration DEFAULT_MAX_LEASE_WAIT = Duration.ofSeconds(1);

        private IdLayout layout = IdLayout.defaults();

        private @Nullable WorkerLease lease;

        private TimeSource timeSource = TimeSource.system();

        private ClockBackwardsPolicy clockBackwardsPolicy = ClockBackwardsPolicy.WAIT;

        private Duration maxBackwardWait = DEFAULT_MAX_BACKWARD_WAIT;

        private Duration maxBorrow = DEFAULT_MAX_BORROW;

        private Duration maxLeaseWait = DEFAULT_MAX_LEASE_WAIT;

        private IdGenerationListener listener = IdGenerationListener.NOOP;

        private Builder() {
        }

        public Builder layout(IdLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /** Where the worker id and its time window come from. */
        public Builder lease(WorkerLease lease) {
            this.lease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /** Shorthand for {@code lease(WorkerLease.fixed(workerId))}. */
        public Builder workerId(int workerId) {
            return lease(WorkerLease.fixed(workerId));
        }

        public Builder timeSource(TimeSource timeSource) {
            this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
            return this;
        }

        public Builder clockBackwardsPolicy(ClockBackwardsPolicy policy) {
            this.clockBackwardsPolicy = Objects.requireNonNull(policy, "clockBackwardsPolicy");
            return this;
        }

        /**
         * Largest backward clock step that {@link ClockBackwardsPolicy#WAIT} waits out; 0
         * to 10 s.
         */
        public Builder maxBackwardWait(Duration maxBackwardWait) {
            this.maxBackwardWait = checkDuration("maxBackwardWait", maxBackwardWait, Duration.ofSeconds(10));
            return this;
        }

        /**
         * Largest lead over the clock that {@link ClockBackwardsPolicy#BORROW} takes; 0
         * to 1 h.
         */
        public Builder maxBorrow(Duration maxBorrow) {
            this.maxBorrow = checkDuration("maxBorrow", maxBorrow, Duration.ofHours(1));
            return this;
        }

        /**
         * Longest a call waits for a lease window to open before refusing; 0 to 1 min.
         */
        public Builder maxLeaseWait(Duration maxLeaseWait) {
            this.maxLeaseWait = checkDuration("maxLeaseWait", maxLeaseWait, Duration.ofMinutes(1));
            return this;
        }

        public Builder listener(IdGenerationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        private static Duration checkDuration(String name, Duration value, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between 0 and " + max + ", but was " + value);
            }
            return value;
        }

        /**
         * A new generator. Its worker id is checked against the layout on every new lease
         * window.
         */
        public IdGenerator build() {
            if (lease == null) {
                throw new IllegalStateException("a lease (or workerId) is required");
            }
            SnowflakeIdGenerator generator = new SnowflakeIdGenerator(layout, lease, timeSource, clockBackwardsPolicy,
                    maxBackwardWait.toMillis(), maxBorrow.toMillis(), maxLeaseWait.toNanos(), listener);
            lease.track(generator::settle);
            return generator;
        }

    }

}
