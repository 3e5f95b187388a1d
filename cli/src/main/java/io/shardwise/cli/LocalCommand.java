package io.shardwise.cli;

import io.shardwise.testkit.engines.LocalEngines;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/** Runs the local engines until interrupted, for other commands, the samples and your own code. */
@Command(name = "local", mixinStandardHelpOptions = true,
        header = "Start the local engines (kinesis-mock and DynamoDB Local) and run until interrupted.",
        description = {"Prints the endpoints and the environment variables that point the shardwise commands,"
                + " the samples and the test kit at them. Ctrl-C stops the engines."})
final class LocalCommand implements Callable<Integer> {

    @Option(names = "--stream", paramLabel = "NAME[:SHARDS]",
            description = "Create this stream at start (repeatable); SHARDS defaults to 1.")
    List<String> streams = new ArrayList<>();

    @Mixin
    Console console;

    @Override
    public Integer call() throws InterruptedException {
        List<String[]> wanted = new ArrayList<>();
        for (String stream : streams) {
            wanted.add(parse(stream));
        }
        PrintWriter out = console.out();
        CountDownLatch stopped = new CountDownLatch(1);
        LocalEngines engines = LocalEngines.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engines.close();
            stopped.countDown();
        }, "shardwise-local-stop"));
        for (String[] stream : wanted) {
            engines.createStream(stream[0], Integer.parseInt(stream[1]));
            out.println("Created stream " + stream[0] + " with " + stream[1] + " shard(s)");
        }
        AwsCredentials credentials = engines.credentials().resolveCredentials();
        out.println("Local engines running (Ctrl-C stops them):");
        out.println("  Kinesis    " + engines.kinesisEndpoint() + "   (TLS, for the KPL: " + engines.kinesisTlsEndpoint()
                + ")");
        out.println("  DynamoDB   " + engines.dynamoDbEndpoint());
        out.println("  region     " + engines.region().id());
        out.println("Use them from another shell:");
        out.println("  export " + Target.KINESIS_ENV + "=" + engines.kinesisEndpoint());
        out.println("  export " + Target.DYNAMODB_ENV + "=" + engines.dynamoDbEndpoint());
        out.println("  export AWS_REGION=" + engines.region().id() + " AWS_ACCESS_KEY_ID=" + credentials.accessKeyId()
                + " AWS_SECRET_ACCESS_KEY=" + credentials.secretAccessKey());
        out.flush();
        stopped.await();
        return 0;
    }

    private static String[] parse(String stream) {
        String[] parts = stream.split(":", 2);
        String shards = parts.length == 2 ? parts[1] : "1";
        if (parts[0].isBlank() || !shards.matches("[1-9][0-9]{0,2}")) {
            throw new CliException("--stream " + stream + ": expected NAME or NAME:SHARDS with SHARDS from 1 to 999");
        }
        return new String[] {parts[0], shards};
    }
}
