package io.shardwise.testkit;

/**
 * A fresh, unique DynamoDB table name for one test's leases, injected by
 * {@link ShardwiseExtension}. The table is not created: the code under test creates it.
 *
 * @param value the table name
 */
public record LeaseTableName(String value) {
}
