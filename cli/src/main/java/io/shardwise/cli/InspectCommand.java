package io.shardwise.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.aggregation.Deaggregation;
import io.shardwise.aggregation.Deaggregator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Unpacks base64 Kinesis records, one per line, into JSON lines of user records. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        header = "Unpack base64 Kinesis records (KPL aggregates or plain) into JSON lines of user records.",
        description = {"Reads base64 Kinesis records, one per line, and writes one JSON line per user record:",
                "  {\"partitionKey\":...,\"explicitHashKey\":... or null,\"data\":base64,\"subSequenceNumber\":n,\"aggregated\":true}",
                "A record that is not a valid KPL aggregate gives one line:",
                "  {\"data\":base64 of the whole record,\"aggregated\":false,\"note\":\"why\"}"})
final class InspectCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "File to read; standard input when absent.")
    private Path file;

    @Option(names = "--event", paramLabel = "FILE",
            description = "Read a Lambda Kinesis event (JSON) instead; each line also names its sequenceNumber.")
    private Path event;

    @Mixin
    private Console console;

    @Override
    public Integer call() {
        PrintWriter out = console.out();
        if (event != null) {
            if (file != null) {
                throw new CliException("give either FILE or --event FILE, not both");
            }
            LambdaEventFile.inspect(event, out);
            return 0;
        }
        InputLines.forEach(file, console.in(), (number, line) -> {
            byte[] data = InputLines.base64(number, "the record", line);
            Deaggregation result = Deaggregator.deaggregate(null, null, data, null, null);
            if (result.aggregated()) {
                for (DeaggregatedRecord record : result.records()) {
                    out.println(JsonLines.write(userRecordLine(record)));
                }
            } else {
                ObjectNode json = JsonLines.object();
                json.put("data", JsonLines.base64(data));
                json.put("aggregated", false);
                json.put("note", result.reason() + ": " + result.detail());
                out.println(JsonLines.write(json));
            }
        });
        out.flush();
        return 0;
    }

    private static ObjectNode userRecordLine(DeaggregatedRecord record) {
        ObjectNode json = JsonLines.putRecord(JsonLines.object(), record.partitionKey(), record.explicitHashKey(),
                record.data());
        json.put("subSequenceNumber", record.subSequenceNumber());
        json.put("aggregated", true);
        return json;
    }
}
