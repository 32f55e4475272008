package dev.idgen.zookeeper;

import org.apache.zookeeper.CreateMode;

/**
 * One operation of a {@link ZnodeStore#multi(java.util.List) multi}: applied together
 * with the others or not at all.
 */
public sealed interface ZnodeOp {

    /** The node's path. */
    String path();

    /** Fails the whole multi unless the node exists with this version. */
    record Check(String path, int version) implements ZnodeOp {
    }

    /** Creates the node (its parent must exist). */
    // Handed straight to ZooKeeper, never compared or hashed.
    @SuppressWarnings("ArrayRecordComponent")
    record Create(String path, byte[] data, CreateMode mode) implements ZnodeOp {
    }

    /** Replaces the data if the node has this version ({@code -1}: any). */
    // Handed straight to ZooKeeper, never compared or hashed.
    @SuppressWarnings("ArrayRecordComponent")
    record SetData(String path, byte[] data, int version) implements ZnodeOp {
    }

    /** Deletes the node if it has this version ({@code -1}: any). */
    record Delete(String path, int version) implements ZnodeOp {
    }

}
