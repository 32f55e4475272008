package dev.idgen.core.lease;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A node that holds, or last held, a worker id: lets an id be traced back to the node
 * that issued it.
 *
 * @param workerId the worker id
 * @param nodeName the holder's stable identity ({@code idgen.node-name}), or {@code null}
 * when its record names none
 * @param host the holder's host, or {@code null} when unknown
 * @param port the holder's HTTP port, or 0 when unknown
 * @param since when the holder claimed the worker id, or {@code null} when unknown
 * @param live whether the holder still holds it now
 */
public record WorkerHolder(int workerId, @Nullable String nodeName, @Nullable String host, int port,
        @Nullable Instant since, boolean live) {
}
