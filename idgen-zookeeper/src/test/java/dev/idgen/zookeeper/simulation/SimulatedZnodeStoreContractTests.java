package dev.idgen.zookeeper.simulation;

import dev.idgen.zookeeper.ZnodeStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The contract against the in-memory model. Time moves only when a case asks: in steps of
 * a quarter tick, each followed by every client's {@link SimulatedZnodeStore#onTime()},
 * so idle clients ping as real ones do and only the session a case disconnects expires.
 */
class SimulatedZnodeStoreContractTests extends ZnodeStoreContractTests {

    private SimulatedZooKeeper zk;

    private final List<SimulatedZnodeStore> stores = new ArrayList<>();

    private final Random random = new Random(20240601L);

    @Override
    protected void startEnsemble() {
        zk = new SimulatedZooKeeper(TICK_MILLIS, 1_700_000_000_000L);
    }

    @Override
    protected void stopEnsemble() {
        stores.forEach(SimulatedZnodeStore::close);
    }

    @Override
    protected ZnodeStore newStore(int requestedSessionTimeoutMillis) {
        SimulatedZnodeStore store = new SimulatedZnodeStore(zk, requestedSessionTimeoutMillis, random);
        store.connect();
        stores.add(store);
        return store;
    }

    /**
     * Cuts the client off until the server expires it and the client notices, then
     * reconnects it.
     */
    @Override
    protected void expireSession(ZnodeStore store) {
        SimulatedZnodeStore simulated = (SimulatedZnodeStore) store;
        simulated.disconnect();
        advance(simulated.negotiatedSessionTimeoutMillis());
        simulated.reconnect();
    }

    @Override
    protected long serverTimeMillis() {
        return zk.nowMillis();
    }

    @Override
    protected void letServerTimePass() {
        advance(1);
    }

    private void advance(long millis) {
        long until = zk.nowMillis() + millis;
        while (zk.nowMillis() < until) {
            zk.advanceTo(Math.min(until, zk.nowMillis() + TICK_MILLIS / 4));
            stores.forEach(SimulatedZnodeStore::onTime);
        }
    }

}
