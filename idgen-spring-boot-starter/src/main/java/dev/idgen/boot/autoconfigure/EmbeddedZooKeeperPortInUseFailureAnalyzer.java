package dev.idgen.boot.autoconfigure;

import dev.idgen.zookeeper.EmbeddedZooKeeperPortInUseException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link EmbeddedZooKeeperPortInUseException}: usually a second node started
 * on a host where one already runs the embedded ZooKeeper. Such a node must join that
 * ZooKeeper, not start its own on another port: two embedded servers would each hand out
 * the same worker ids.
 */
class EmbeddedZooKeeperPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedZooKeeperPortInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedZooKeeperPortInUseException cause) {
        String endpoint = cause.address() + ":" + cause.port();
        return new FailureAnalysis(
                "The embedded ZooKeeper (idgen.worker.assignment=embedded) could not start: " + endpoint
                        + " is already in use, set by idgen.zookeeper.embedded.port=" + cause.port() + ".",
                "If another idgen node on this host is using it, do not start a second embedded ZooKeeper (two would"
                        + " each lease the same worker ids, and the nodes would issue the same ids). Join it instead:\n"
                        + "    idgen.worker.assignment=zookeeper\n" + "    idgen.zookeeper.connect-string=" + endpoint
                        + "\n" + "If another program holds the port, set idgen.zookeeper.embedded.port to a free port"
                        + " (0 picks one at random).",
                cause);
    }

}
