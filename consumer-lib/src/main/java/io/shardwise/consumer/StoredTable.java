package io.shardwise.consumer;

/** What the lease and worker stores have in common: a name for logs, and a table to create on start. */
interface StoredTable {

    String name();

    /** Creates the table if it does not exist yet, and waits until it can be used. */
    void createIfMissing();
}
