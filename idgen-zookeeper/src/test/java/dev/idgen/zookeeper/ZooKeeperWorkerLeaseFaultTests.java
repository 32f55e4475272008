package dev.idgen.zookeeper;

import static dev.idgen.zookeeper.LeaseTestSupport.BOUND;
import static dev.idgen.zookeeper.LeaseTestSupport.awaitState;
import static dev.idgen.zookeeper.LeaseTestSupport.settings;
import static dev.idgen.zookeeper.ZooKeeperWorkerLeaseHandoverTests.assertStrictlyIncreasing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.clock.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * Several generators on one ensemble issue ids without pause while their sessions are
 * expired on the server and their holders restart, under the same name or a new one.
 * Every id issued is kept.
 */
class ZooKeeperWorkerLeaseFaultTests {

    private static final int NODES = 3;

    @Test
    void noIdIsEverIssuedTwiceWhileSessionsExpireAndHoldersRestart() throws Exception {
        try (TestingServer server = new TestingServer();
                LeaseTestSupport zk = new LeaseTestSupport(server.getConnectString())) {
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                nodes.add(new Node(zk, zk.newClient(), "node-" + i).start());
            }
            List<IdIssuer> issuers = new ArrayList<>();
            nodes.forEach(node -> issuers.add(node.issuer));
            int expiries = 0;

            for (int round = 0; round < 6; round++) {
                Node node = nodes.get(round % NODES);
                if (round % 2 == 0) {
                    long reclaimsBefore = node.lease.snapshot().reclaims();
                    zk.expireSession(node.client);
                    await().atMost(BOUND)
                        .until(() -> node.lease.snapshot().reclaims() == reclaimsBefore + 1
                                && node.lease.snapshot().state() == LeaseState.ACTIVE);
                    expiries++;
                }
                else {
                    // Graceful restart: stop issuing, close the lease, start a new one on
                    // the same client,
                    // every second time under a new name so the worker id changes hands
                    // between names.
                    String name = round % 4 == 1 ? node.name : node.name + "-r" + round;
                    node.restart(name);
                    issuers.add(node.issuer);
                }
                for (Node each : nodes) {
                    int issued = each.issuer.count();
                    await().atMost(BOUND).until(() -> each.issuer.count() > issued);
                }
            }
            for (Node node : nodes) {
                node.issuer.stop();
            }

            Map<Long, String> issuedBy = new HashMap<>();
            List<String> duplicates = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < issuers.size(); i++) {
                List<Long> ids = issuers.get(i).ids();
                assertStrictlyIncreasing(ids);
                total += ids.size();
                for (long id : ids) {
                    String previous = issuedBy.put(id, "issuer " + i);
                    if (previous != null) {
                        duplicates.add(id + " by " + previous + " and issuer " + i);
                    }
                }
            }
            assertThat(duplicates).isEmpty();
            assertThat(issuedBy).hasSize((int) total);
            assertThat(expiries).isEqualTo(3);
            assertThat(issuers).hasSize(NODES + 3);
            Set<Integer> workerIdsUsed = new HashSet<>();
            IdGenerator parser = IdGenerator.builder().workerId(0).build();
            issuedBy.keySet().forEach(id -> workerIdsUsed.add(parser.parse(id).workerId()));
            assertThat(workerIdsUsed).isSubsetOf(0, 1, 2, 3);
        }
    }

    /**
     * One node: a client it keeps across restarts (as a shared client would be), a lease
     * and an issuer.
     */
    private static final class Node {

        private final LeaseTestSupport zk;

        private final CuratorFramework client;

        private String name;

        private ZooKeeperWorkerLease lease;

        private IdIssuer issuer;

        Node(LeaseTestSupport zk, CuratorFramework client, String name) {
            this.zk = zk;
            this.client = client;
            this.name = name;
        }

        Node start() {
            lease = zk.lease(client, settings(name, 0, 3).build(), TimeSource.system());
            lease.start();
            awaitState(lease, LeaseState.ACTIVE);
            issuer = new IdIssuer(name, IdGenerator.builder().lease(lease).maxLeaseWait(Duration.ZERO).build());
            return this;
        }

        void restart(String newName) throws InterruptedException {
            issuer.stop(); // a graceful shutdown stops taking calls before the lease
                           // closes
            lease.close();
            name = newName;
            start();
        }

    }

}
