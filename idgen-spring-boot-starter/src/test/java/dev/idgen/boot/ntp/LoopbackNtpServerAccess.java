package dev.idgen.boot.ntp;

import java.net.SocketException;
import java.time.Duration;

/** {@link LoopbackNtpServer} for tests in other packages. */
public final class LoopbackNtpServerAccess implements AutoCloseable {

    private final LoopbackNtpServer server;

    public LoopbackNtpServerAccess(Duration offset) throws SocketException {
        this.server = new LoopbackNtpServer(offset);
    }

    /** "127.0.0.1:port". */
    public String address() {
        return server.address();
    }

    public void setOffset(Duration offset) {
        server.setOffset(offset);
    }

    @Override
    public void close() {
        server.close();
    }

}
