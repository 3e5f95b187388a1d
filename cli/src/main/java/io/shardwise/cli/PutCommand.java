package io.shardwise.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sends standard input's lines as records through the Shardwise producer (aggregated, in order)
 * ({@link StandardInputPut}), or, with {@code --follow}, the lines of files as they grow ({@link FollowedPut}).
 */
@Command(name = "put", mixinStandardHelpOptions = true,
        header = "Send standard input's lines, or followed files' lines, as records through the producer.",
        description = {"Each non-empty line becomes one record (its UTF-8 bytes). With --key every line goes to"
                + " that partition key, in order; without a key option each line gets its line number as key"
                + " (random keys with --follow), spreading lines over the shards.",
                "--follow FILE_OR_GLOB... tails the files (quote a glob: files created later are picked up), follows"
                        + " rotation by rename and copy-truncate, sends only complete lines and checkpoints the"
                        + " acknowledged offsets in the --state file; a restart sends no acknowledged line again."
                        + " Runs until Ctrl-C or SIGTERM, then flushes and checkpoints.",
                "A line the key option finds no key in (not JSON, no such field, no match) is sent with a random"
                        + " key and reported on standard error.",
                "Needs an endpoint: --region (AWS), --endpoint, or " + Target.KINESIS_ENV
                        + " (see 'shardwise local')."})
final class PutCommand implements Callable<Integer> {

    @Option(names = "--stream", required = true, paramLabel = "NAME", description = "The stream to write to.")
    String stream;

    @Mixin
    KeyOptions keyOptions;

    @Mixin
    FollowOptions followOptions;

    @Option(names = "--max-buffered-bytes", paramLabel = "BYTES",
            description = "The producer's memory budget: reading waits while it is full (default 64 MiB).")
    Long maxBufferedBytes;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    Console console;

    @Override
    public Integer call() throws IOException, InterruptedException {
        boolean follow = followOptions.follow;
        PartitionKeys keys = keyOptions.keys(follow);
        if (maxBufferedBytes != null && maxBufferedBytes < FollowedFile.MAX_LINE_BYTES) {
            throw new CliException("--max-buffered-bytes must hold the largest record, " + FollowedFile.MAX_LINE_BYTES
                    + " bytes: got " + maxBufferedBytes);
        }
        if (!follow) {
            followOptions.requireNoFiles();
            return new StandardInputPut(stream, keys, console).run(connection.required("put"), maxBufferedBytes);
        }
        FileFollower.Settings settings = followOptions.settings(stream);
        return new FollowedPut(stream, settings, keys, console).run(connection.required("put"), maxBufferedBytes);
    }
}
