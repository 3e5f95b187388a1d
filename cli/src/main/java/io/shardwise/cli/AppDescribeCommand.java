package io.shardwise.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;

/** One look at an application: shards, checkpoints, owners, lag, coverage, workers. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        header = "One row per shard (parents, state, owner and liveness, checkpoint and its age, lag),"
                + " the hash-range coverage and the workers.",
        description = {"Reads the tables twice, --sample seconds apart, to tell live workers by their moving counters.",
                "--json prints one document; its keys are listed in the README."})
final class AppDescribeCommand implements Callable<Integer> {

    @Mixin
    AppOptions app;

    @Option(names = "--stream", paramLabel = "NAME",
            description = "The application's stream: closed shards, shards without a lease, hash ranges.")
    String stream;

    @Option(names = "--json", description = "Print one JSON document instead of tables.")
    boolean json;

    @Mixin
    Console console;

    @Override
    public Integer call() {
        Target target = app.connection.required("app describe");
        PrintWriter out = console.out();
        try (DynamoDbClient dynamo = target.dynamoDbClient(); KinesisClient kinesis = target.kinesisClient()) {
            AppOptions.Sampled sampled = AppOptions.sampled(new AppTables(dynamo, app.application), app.sample());
            List<Shard> shards = stream == null ? null : listShards(kinesis, stream, target);
            AppDescription description = AppDescription.of(app.application, stream, sampled.snapshot(), sampled.live(),
                    shards);
            if (json) {
                out.println(JsonLines.write(description.json()));
            } else {
                description.text().forEach(out::println);
            }
        }
        out.flush();
        return 0;
    }

    static List<Shard> listShards(KinesisClient kinesis, String stream, Target target) {
        try {
            return new StreamAdmin(kinesis).shards(stream);
        } catch (ResourceNotFoundException e) {
            throw new CliException("stream " + stream + " does not exist at " + target.description());
        }
    }
}
