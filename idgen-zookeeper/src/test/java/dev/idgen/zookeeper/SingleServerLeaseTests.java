package dev.idgen.zookeeper;

import dev.idgen.core.clock.TimeSource;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh real ZooKeeper server per test, and the lease helpers bound to it (as Curator's
 * BaseClassForTests).
 */
abstract class SingleServerLeaseTests {

    protected final TimeSource system = TimeSource.system();

    protected TestingServer server;

    protected LeaseTestSupport zk;

    @BeforeEach
    void startZooKeeper() throws Exception {
        server = new TestingServer();
        zk = new LeaseTestSupport(server.getConnectString());
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        try {
            zk.close();
        }
        finally {
            server.close();
        }
    }

}
