package io.shardwise.consumer;

/** The base of the DynamoDB stores: a {@link DynamoTable} to read and write, named and created by it. */
abstract class DynamoStore implements StoredTable {
    final DynamoTable table;

    DynamoStore(DynamoTable table) {
        this.table = table;
    }

    @Override
    public final String name() {
        return table.name();
    }

    @Override
    public final void createIfMissing() {
        table.createIfMissing();
    }
}
