package io.shardwise.consumer;

/** The base of the in-memory stores: named, and nothing to create. */
abstract class InMemoryTable implements StoredTable {
    private final String name;

    InMemoryTable(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void createIfMissing() {
    }
}
