package io.shardwise.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwise.aggregation.HashKeys;
import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import io.shardwise.aggregation.UserRecord;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Packs JSON lines of user records into KPL aggregates, one JSON line per Kinesis record. */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
        header = "Pack JSON lines of user records into KPL aggregated Kinesis records, per shard, in input order.",
        description = {"Reads JSON lines {\"partitionKey\":...,\"explicitHashKey\":optional,\"data\":base64} from",
                "standard input and writes one JSON line per Kinesis record, in input order:",
                "  {\"partitionKey\":...,\"explicitHashKey\":... or null,\"data\":base64,\"userRecords\":n}",
                "Records share an aggregate only when their hash keys fall into the same shard of a stream",
                "of --shards uniform shards."})
final class AggregateCommand implements Callable<Integer> {

    @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "" + RecordAggregator.DEFAULT_MAX_BYTES,
            description = "Largest Kinesis record to write (data plus partition key), up to 10485760. Default: ${DEFAULT-VALUE}.")
    private int maxBytes;

    @Option(names = "--max-records", paramLabel = "N", defaultValue = "" + RecordAggregator.DEFAULT_MAX_RECORDS,
            description = "Most user records per aggregate. Default: no limit.")
    private int maxRecords;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "1",
            description = "Shard count of the target stream (uniform hash key ranges). Default: ${DEFAULT-VALUE}.")
    private int shards;

    @Mixin
    private Console console;

    @Override
    public Integer call() {
        PrintWriter out = console.out();
        UniformShards shardMap;
        OrderedAggregation aggregation;
        try {
            shardMap = new UniformShards(shards);
            aggregation = new OrderedAggregation(maxBytes, maxRecords,
                    record -> out.println(JsonLines.write(kinesisRecordLine(record))));
        } catch (IllegalArgumentException e) {
            throw console.usageError(e);
        }
        InputLines.forEach(null, console.in(), (number, line) -> {
            UserRecord record = userRecord(number, line);
            int shard;
            try {
                shard = shardMap.shardOf(HashKeys.effective(record.partitionKey(), record.explicitHashKey()));
            } catch (IllegalArgumentException e) {
                throw new CliException("line " + number + ": " + e.getMessage(), e);
            }
            aggregation.add(shard, record);
        });
        aggregation.finish();
        out.flush();
        return 0;
    }

    private static UserRecord userRecord(int number, String line) {
        ObjectNode json = JsonLines.read(number, line);
        String partitionKey = JsonLines.requiredText(number, json, "partitionKey");
        if (partitionKey.isEmpty()) {
            throw new CliException("line " + number + ": \"partitionKey\" must not be empty");
        }
        String explicitHashKey = JsonLines.optionalText(number, json, "explicitHashKey");
        byte[] data = InputLines.base64(number, "\"data\"", JsonLines.requiredText(number, json, "data"));
        return new UserRecord(partitionKey, explicitHashKey, data);
    }

    private static ObjectNode kinesisRecordLine(KinesisRecord record) {
        ObjectNode json = JsonLines.putRecord(JsonLines.object(), record.partitionKey(), record.explicitHashKey(),
                record.data());
        json.put("userRecords", record.userRecordCount());
        return json;
    }
}
