package dev.idgen.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperTests {

    @TempDir
    Path tempDir;

    @Test
    void servesOnTheLoopbackAddressOnAFreePort() throws Exception {
        try (EmbeddedZooKeeper server = new EmbeddedZooKeeper(0, tempDir.resolve("data"))) {
            server.start();
            assertThat(server.port()).isPositive();
            assertThat(server.connectString()).isEqualTo("127.0.0.1:" + server.port());
            try (CuratorFramework client = client(server)) {
                client.create().forPath("/hello", "world".getBytes());
                assertThat(new String(client.getData().forPath("/hello"))).isEqualTo("world");
            }
        }
    }

    @Test
    void dataSurvivesARestartOnTheSameFolder() throws Exception {
        Path data = tempDir.resolve("kept");
        try (EmbeddedZooKeeper server = new EmbeddedZooKeeper(0, data)) {
            server.start();
            try (CuratorFramework client = client(server)) {
                client.create().creatingParentsIfNeeded().forPath("/idgen/reservations/3", "r".getBytes());
            }
        }
        try (EmbeddedZooKeeper server = new EmbeddedZooKeeper(0, data)) {
            server.start();
            try (CuratorFramework client = client(server)) {
                assertThat(client.checkExists().forPath("/idgen/reservations/3")).isNotNull();
            }
        }
    }

    @Test
    void aTemporaryFolderIsDeletedOnClose() throws Exception {
        Path data;
        try (EmbeddedZooKeeper server = new EmbeddedZooKeeper(0, null)) {
            server.start();
            try (CuratorFramework client = client(server)) {
                client.create().forPath("/x");
            }
            data = server.dataDir();
            assertThat(data).isDirectory();
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void aConfiguredFolderIsKeptOnClose() {
        Path data = tempDir.resolve("configured");
        try (EmbeddedZooKeeper server = new EmbeddedZooKeeper(0, data)) {
            server.start();
            assertThat(server.dataDir()).isEqualTo(data);
        }
        assertThat(data).isDirectory();
    }

    @Test
    void aTakenPortFailsWithAMessageNamingTheProperty() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            EmbeddedZooKeeper server = new EmbeddedZooKeeper(taken.getLocalPort(), tempDir.resolve("taken"));
            try {
                assertThatExceptionOfType(EmbeddedZooKeeperPortInUseException.class).isThrownBy(server::start)
                    .withMessageContaining("idgen.zookeeper.embedded.port")
                    .satisfies((ex) -> assertThat(ex.port()).isEqualTo(taken.getLocalPort()));
            }
            finally {
                server.close();
            }
        }
    }

    @Test
    void cannotBeStartedTwice() {
        try (EmbeddedZooKeeper server = new EmbeddedZooKeeper(0, tempDir.resolve("twice"))) {
            server.start();
            assertThatIllegalStateException().isThrownBy(server::start).withMessageContaining("more than once");
        }
    }

    private static CuratorFramework client(EmbeddedZooKeeper server) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.newClient(server.connectString(), new RetryOneTime(100));
        client.start();
        assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        return client;
    }

}
