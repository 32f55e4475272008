package dev.idgen.zookeeper;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A single-node ZooKeeper server inside this JVM, bound to the loopback address: the
 * default worker-id coordinator for development and single-node use.
 *
 * <p>
 * Worker ids are leased from it through exactly the same {@link ZooKeeperWorkerLease} as
 * from a real ensemble, so development exercises the production path. It runs the
 * official {@link ZooKeeperServerEmbedded} with the admin server off, and keeps its data
 * in a folder that survives restarts, so a restarted node still sees the reservations it
 * made before (which is what keeps its new ids above its old ones after a clock step).
 */
public final class EmbeddedZooKeeper implements Closeable {

    private static final Logger logger = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

    private static final String LOOPBACK = "127.0.0.1";

    private enum State {

        LATENT, STARTED, CLOSED

    }

    private final int requestedPort;

    private final @Nullable Path dataDir;

    private final boolean deleteDataDirOnClose;

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

    private volatile @Nullable ZooKeeperServerEmbedded server;

    private volatile @Nullable Path configDir;

    private volatile @Nullable Path effectiveDataDir;

    private volatile int port;

    /**
     * A server to be started on {@code port} (0 for any free port), keeping its data in
     * {@code dataDir}; when {@code dataDir} is {@code null}, a new temporary folder that
     * is deleted on close.
     */
    public EmbeddedZooKeeper(int port, @Nullable Path dataDir) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
        }
        this.requestedPort = port;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = (dataDir == null);
    }

    /**
     * Starts the server and waits (up to 30 s) until it serves on the loopback address.
     * Local only: no remote host is contacted.
     * @throws EmbeddedZooKeeperPortInUseException if the port is taken
     * @throws IllegalStateException if called more than once, or if the server cannot
     * start for another reason
     */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("Cannot be started more than once");
        }
        if (requestedPort != 0) {
            checkPortFree();
        }
        try {
            Path data = (dataDir != null) ? Files.createDirectories(dataDir)
                    : Files.createTempDirectory("idgen-zookeeper-");
            this.effectiveDataDir = data;
            // The embedded server writes a fresh configuration file at every start: keep
            // those out of
            // the data folder, which must only hold what should survive a restart.
            this.configDir = Files.createTempDirectory("idgen-zookeeper-config-");
            Properties configuration = new Properties();
            configuration.setProperty("clientPort", Integer.toString(requestedPort));
            configuration.setProperty("clientPortAddress", LOOPBACK);
            configuration.setProperty("dataDir", data.toAbsolutePath().toString());
            configuration.setProperty("admin.enableServer", "false");
            configuration.setProperty("maxSessionTimeout", "600000");
            ZooKeeperServerEmbedded embedded = ZooKeeperServerEmbedded.builder()
                .baseDir(configDir)
                .configuration(configuration)
                .exitHandler(ExitHandler.LOG_ONLY) // never System.exit the application
                .build();
            this.server = embedded;
            embedded.start(30_000);
            this.port = embedded.getClientPort();
            logger.warn("Started an embedded single-node ZooKeeper on " + connectString() + " with data in " + data
                    + ". This is single-node DEVELOPMENT mode: worker ids are only unique among nodes that use"
                    + " this server. It listens on loopback only: other nodes on this host can join it with"
                    + " idgen.worker.assignment=zookeeper and idgen.zookeeper.connect-string=" + connectString()
                    + "; for several hosts or production, run a ZooKeeper ensemble and point every node's"
                    + " idgen.zookeeper.connect-string at it.");
        }
        catch (Exception ex) {
            close();
            throw new IllegalStateException("Could not start the embedded ZooKeeper on " + LOOPBACK + ":"
                    + requestedPort + " (idgen.zookeeper.embedded.port; 0 picks any free port): " + ex.getMessage(),
                    ex);
        }
    }

    /**
     * Fails at once when the port is taken: the embedded server would otherwise only
     * report it by never becoming ready, after the whole start-up wait.
     */
    private void checkPortFree() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }), requestedPort));
        }
        catch (IOException ex) {
            state.set(State.CLOSED);
            throw new EmbeddedZooKeeperPortInUseException(LOOPBACK, requestedPort, ex);
        }
    }

    /** The folder holding the server's data, {@code null} until started. */
    public @Nullable Path dataDir() {
        return effectiveDataDir;
    }

    /** Where clients connect: {@code 127.0.0.1:port}. */
    public String connectString() {
        if (port == 0) {
            throw new IllegalStateException("The embedded ZooKeeper is not started");
        }
        return LOOPBACK + ":" + port;
    }

    /** The port the server listens on, 0 until started. */
    public int port() {
        return port;
    }

    /** Stops the server. Idempotent. */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        ZooKeeperServerEmbedded embedded = server;
        if (embedded != null) {
            embedded.close();
            logger.info("Stopped the embedded ZooKeeper");
        }
        deleteQuietly(configDir);
        if (deleteDataDirOnClose) {
            deleteQuietly(effectiveDataDir);
        }
    }

    private static void deleteQuietly(@Nullable Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
                try {
                    Files.deleteIfExists(path);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (IOException | UncheckedIOException ex) {
            logger.debug("Could not delete " + dir, ex);
        }
    }

}
