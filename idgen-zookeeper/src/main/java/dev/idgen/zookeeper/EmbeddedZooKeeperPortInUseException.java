package dev.idgen.zookeeper;

/**
 * The embedded ZooKeeper's port is taken: often by another node's embedded ZooKeeper on
 * the same host, which this node should join rather than start a second one beside it.
 */
public final class EmbeddedZooKeeperPortInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String address;

    private final int port;

    EmbeddedZooKeeperPortInUseException(String address, int port, Throwable cause) {
        super("Could not start the embedded ZooKeeper: " + address + ":" + port + " is in use"
                + " (idgen.zookeeper.embedded.port; 0 picks any free port, or use idgen.worker.assignment=zookeeper"
                + " to join a server that is already running)", cause);
        this.address = address;
        this.port = port;
    }

    /** The address the server would have bound: the loopback address. */
    public String address() {
        return address;
    }

    /** The port that is taken. */
    public int port() {
        return port;
    }

}
