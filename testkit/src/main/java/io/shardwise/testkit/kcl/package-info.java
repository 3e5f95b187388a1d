/**
 * The real KCL 3.x as a peer on local endpoints, for the modules that run it beside Shardwise
 * (benchmarks, integration tests): {@link io.shardwise.testkit.kcl.KclPeer} builds and runs one worker
 * (polling, no metrics), {@link io.shardwise.testkit.kcl.CheckpointingShardRecordProcessor} is the
 * record processor that checkpoints where the KCL needs it.
 *
 * <p>testkit declares the KCL {@code optional}: a module that uses this package declares
 * {@code software.amazon.kinesis:amazon-kinesis-client} itself, with what the KCL needs at run time
 * (protobuf-java 4.x, the SDK version the KCL was built with; see the poms of benchmarks and
 * integration-tests).
 */
package io.shardwise.testkit.kcl;
