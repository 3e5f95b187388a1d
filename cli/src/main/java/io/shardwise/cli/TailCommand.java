package io.shardwise.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwise.aggregation.DeaggregatedRecord;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/** Follows a stream: every shard, parents before children, KPL aggregates unpacked. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        header = "Follow every shard of a stream in order (parents before children), deaggregated.",
        description = {"Text: one line per user record, '<shardId> <sequenceNumber>/<subSequenceNumber>"
                + " <partitionKey> <data as UTF-8, or base64 when it is not text>'.",
                "JSON: one object per user record with shardId, sequenceNumber, subSequenceNumber, partitionKey,"
                        + " explicitHashKey, data (base64), approximateArrivalTimestamp and aggregated.",
                "Runs until interrupted, or until --limit records were printed.",
                "Needs an endpoint: --region (AWS), --endpoint, or " + Target.KINESIS_ENV
                        + " (see 'shardwise local')."})
final class TailCommand implements Callable<Integer> {

    @Option(names = "--stream", required = true, paramLabel = "NAME", description = "The stream to follow.")
    String stream;

    @Option(names = "--from", paramLabel = "POSITION", defaultValue = "trim-horizon",
            description = "trim-horizon, latest, or an ISO time such as 2025-01-31T12:00:00Z (default ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N user records.")
    Long limit;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    Console console;

    @Override
    public Integer call() throws InterruptedException {
        boolean asJson = switch (format) {
            case "json" -> true;
            case "text" -> false;
            default -> throw new CliException("--format " + format + ": expected text or json");
        };
        ShardTreeReader.Start start = ShardTreeReader.Start.parse(from);
        if (limit != null && limit < 1) {
            throw new CliException("--limit must be at least 1: got " + limit);
        }
        Target target = connection.required("tail");
        PrintWriter out = console.out();
        long printed = 0;
        try (KinesisClient kinesis = target.kinesisClient()) {
            ShardTreeReader reader = new ShardTreeReader(kinesis, stream, start);
            while (limit == null || printed < limit) {
                java.util.List<ShardTreeReader.TailRecord> records;
                try {
                    records = reader.poll();
                } catch (ResourceNotFoundException e) {
                    throw new CliException("stream " + stream + " does not exist at " + target.description());
                }
                for (ShardTreeReader.TailRecord record : records) {
                    out.println(asJson ? json(record) : text(record));
                    if (limit != null && ++printed >= limit) {
                        break;
                    }
                }
                out.flush();
            }
        }
        return 0;
    }

    private static String text(ShardTreeReader.TailRecord tail) {
        DeaggregatedRecord r = tail.record();
        return tail.shardId() + " " + r.sequenceNumber() + "/" + r.subSequenceNumber() + " " + r.partitionKey() + " "
                + printable(r.data());
    }

    private static String json(ShardTreeReader.TailRecord tail) {
        DeaggregatedRecord r = tail.record();
        ObjectNode json = JsonLines.object();
        json.put("shardId", tail.shardId());
        json.put("sequenceNumber", r.sequenceNumber());
        json.put("subSequenceNumber", r.subSequenceNumber());
        JsonLines.putRecord(json, r.partitionKey(), r.explicitHashKey(), r.data());
        json.put("approximateArrivalTimestamp", tail.arrival() == null ? null : tail.arrival().toString());
        json.put("aggregated", r.aggregated());
        return JsonLines.write(json);
    }

    /** The data as text when it is valid UTF-8 without line breaks, else base64. */
    private static String printable(byte[] data) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
            if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
                return text;
            }
        } catch (CharacterCodingException notText) {
            // fall through
        }
        return "base64:" + JsonLines.base64(data);
    }
}
