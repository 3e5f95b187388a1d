package io.shardwise.testkit;

/**
 * A fresh, uniquely named stream created for one test by {@link ShardwiseExtension}, ACTIVE
 * when the test starts, deleted after it.
 *
 * @param name the stream name
 * @param arn the stream ARN
 * @param shardCount its open shards at creation ({@link StreamShards}, default 1)
 */
public record TestStream(String name, String arn, int shardCount) {
}
