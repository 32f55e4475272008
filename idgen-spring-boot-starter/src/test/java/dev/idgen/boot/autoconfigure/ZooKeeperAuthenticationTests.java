package dev.idgen.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.idgen.core.IdGenerator;
import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.zookeeper.ZooKeeperAcls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code idgen.zookeeper.auth.*} against a real ZooKeeper (digest authentication is
 * always on in the server): the lease works end to end, and no client with other or no
 * credentials can delete or overwrite its claims and reservations.
 */
class ZooKeeperAuthenticationTests {

    @TempDir
    Path stateDir;

    private TestingServer zookeeper;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IdGeneratorAutoConfiguration.class))
        .withPropertyValues("idgen.node-name=secured-node", "idgen.worker.assignment=zookeeper",
                "idgen.zookeeper.root-path=/secured", "idgen.worker.range=4");

    @BeforeEach
    void startZooKeeper() throws Exception {
        zookeeper = new TestingServer(true);
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        zookeeper.close();
    }

    @Test
    void withCredentialsTheLeaseWorksAndNoOtherClientCanDeleteOrOverwriteItsZnodes() throws Exception {
        contextRunner
            .withPropertyValues("idgen.zookeeper.connect-string=" + zookeeper.getConnectString(),
                    "idgen.worker.state-dir=" + stateDir, "idgen.zookeeper.auth.username=idgen",
                    "idgen.zookeeper.auth.password=s3cret")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                ManagedWorkerLease lease = context.getBean(ManagedWorkerLease.class);
                assertThat(lease.snapshot().state()).isEqualTo(LeaseState.ACTIVE);
                IdGenerator generator = context.getBean(IdGenerator.class);
                assertThat(generator.parse(generator.nextId()).workerId()).isEqualTo(4);

                try (CuratorFramework anonymous = client(null); CuratorFramework stranger = client("someone:else")) {
                    for (CuratorFramework intruder : List.of(anonymous, stranger)) {
                        for (String path : List.of("/secured/claims/4", "/secured/reservations/4")) {
                            assertThat(intruder.getData().forPath(path)).as("operators can read %s", path).isNotEmpty();
                            assertThatExceptionOfType(KeeperException.NoAuthException.class).as("delete %s", path)
                                .isThrownBy(() -> intruder.delete().forPath(path));
                            assertThatExceptionOfType(KeeperException.NoAuthException.class).as("setData %s", path)
                                .isThrownBy(() -> intruder.setData().forPath(path, bytes("{}")));
                        }
                        assertThatExceptionOfType(KeeperException.NoAuthException.class).as("create a claim beside it")
                            .isThrownBy(() -> intruder.create().forPath("/secured/claims/5"));
                    }
                    List<ACL> acl = anonymous.getACL().forPath("/secured/reservations/4");
                    assertThat(acl).hasSize(2).anySatisfy((entry) -> {
                        assertThat(entry.getId().getScheme()).isEqualTo("digest");
                        assertThat(entry.getId().getId()).startsWith("idgen:");
                        assertThat(entry.getPerms()).isEqualTo(ZooDefs.Perms.ALL);
                    }).contains(new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
                }
                // Still the holder after the attempts: issuing goes on.
                assertThat(generator.parse(generator.nextId()).workerId()).isEqualTo(4);
                assertThat(lease.snapshot().state()).isEqualTo(LeaseState.ACTIVE);
            });
    }

    @Test
    void aUsernameWithoutAPasswordStopsStartUpNamingThePassword() {
        contextRunner
            .withPropertyValues("idgen.zookeeper.connect-string=" + zookeeper.getConnectString(),
                    "idgen.worker.state-dir=" + stateDir, "idgen.zookeeper.auth.username=idgen")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(invalidProperty(context.getStartupFailure()).getName())
                    .isEqualTo("idgen.zookeeper.auth.password");
            });
    }

    @Test
    void aPasswordWithoutAUsernameStopsStartUpNamingTheUsername() {
        contextRunner
            .withPropertyValues("idgen.zookeeper.connect-string=" + zookeeper.getConnectString(),
                    "idgen.worker.state-dir=" + stateDir, "idgen.zookeeper.auth.password=s3cret")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(invalidProperty(context.getStartupFailure()).getName())
                    .isEqualTo("idgen.zookeeper.auth.username");
            });
    }

    private CuratorFramework client(String digest) throws InterruptedException {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
            .connectString(zookeeper.getConnectString())
            .retryPolicy(new RetryOneTime(100));
        if (digest != null) {
            String[] userAndPassword = digest.split(":");
            builder.authorization(List.of(ZooKeeperAcls.digest(userAndPassword[0], userAndPassword[1])));
        }
        CuratorFramework client = builder.build();
        client.start();
        client.blockUntilConnected();
        return client;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static InvalidConfigurationPropertyValueException invalidProperty(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationPropertyValueException invalid) {
                return invalid;
            }
        }
        throw new AssertionError("no InvalidConfigurationPropertyValueException in " + failure);
    }

}
