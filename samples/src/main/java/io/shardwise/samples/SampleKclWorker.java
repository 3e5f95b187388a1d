package io.shardwise.samples;

import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.kcl.KclProcessors;

/**
 * {@link SampleWorker} with a processor written for the KCL ({@link SampleKclProcessor}), run unchanged
 * through the kcl-adapter: only the wiring differs from a KCL application.
 *
 * <pre>
 * java -cp samples/target/shardwise-samples.jar io.shardwise.samples.SampleKclWorker APPLICATION STREAM
 * </pre>
 */
public final class SampleKclWorker {

    private SampleKclWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        SampleWorker.requireApplicationAndStream(args, "SampleKclWorker");
        SampleEnvironment env = SampleEnvironment.fromEnvironment();
        ShardwiseConsumer consumer = SampleWorker.connected(env, args[0], args[1])
                .processorFactory(KclProcessors.adapt(SampleKclProcessor::new))
                .build();
        SampleWorker.runUntilStopped(consumer, args[1], env);
    }
}
