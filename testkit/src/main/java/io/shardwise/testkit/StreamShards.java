package io.shardwise.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The shard count of the {@link TestStream} that {@link ShardwiseExtension} creates for a test.
 * On a method it applies to that test; on a class, to each of its tests that has none of its own.
 * Without it a test stream has 1 shard.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface StreamShards {

    /** The number of shards, at least 1. */
    int value();
}
