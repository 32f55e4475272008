package dev.idgen.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback between one ZooKeeper client and the server that can cut the
 * network: {@link #partition()} drops every connection and refuses new ones, so the
 * server really stops hearing from the client and expires its session on its own timer;
 * {@link #heal()} lets it back in.
 */
final class PartitionableProxy implements AutoCloseable {

    private final InetSocketAddress target;

    private final ServerSocket listener;

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private volatile boolean partitioned;

    private volatile boolean closed;

    PartitionableProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "zk-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    void partition() {
        partitioned = true;
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    void heal() {
        partitioned = false;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (partitioned) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket();
                server.connect(target, 2000);
                sockets.add(client);
                sockets.add(server);
                pipe(client, server);
                pipe(server, client);
            }
            catch (IOException ex) {
                // listener closed, or the server refused: the client retries
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException ex) {
                // connection cut
            }
            finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "zk-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        }
        catch (IOException ex) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        partition();
        listener.close();
    }

}
