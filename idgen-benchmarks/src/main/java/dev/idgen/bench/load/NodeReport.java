package dev.idgen.bench.load;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * What one node did during a run.
 *
 * @param url the node's base URL
 * @param requests requests sent to it that got an answer or failed
 * @param successes 200 answers
 * @param ids ids it returned
 * @param refused 503 answers: the node declined to issue ids, which is allowed and not an
 * error
 * @param errors other answers and transport failures, counted by cause in
 * {@code errorsByCause}
 * @param errorsByCause e.g. {@code "HTTP 500"} or {@code "ConnectException"} to count
 * @param refusingMillis time the node was refusing: see {@link LoadTool} for how it is
 * measured
 * @param failingMillis time the node was failing (errors only, no 200 or 503), measured
 * the same way
 * @param firstRefusalMillis milliseconds from the start of the run to its first refusal,
 * or -1
 * @param lastRefusalMillis milliseconds from the start of the run to its last refusal, or
 * -1
 * @param workerStints the worker ids it issued under, in timestamp order
 */
public record NodeReport(URI url, long requests, long successes, long ids, long refused, long errors,
        Map<String, Long> errorsByCause, long refusingMillis, long failingMillis, long firstRefusalMillis,
        long lastRefusalMillis, List<WorkerStint> workerStints) {
}
