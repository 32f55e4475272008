package dev.idgen.core.lease;

import java.time.Instant;

/**
 * A node that holds, or last held, a worker id: lets an id be traced back to the node
 * that issued it.
 *
 * @param workerId the worker id
 * @param nodeName the holder's stable identity ({@code idgen.node-name})
 * @param host the holder's host, or {@code null} when unknown
 * @param port the holder's HTTP port, or 0 when unknown
 * @param since when the holder claimed the worker id, or {@code null} when unknown
 * @param live whether the holder still holds it now
 */
public record WorkerHolder(int workerId, String nodeName, String host, int port, Instant since, boolean live) {
}
