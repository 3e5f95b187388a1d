package io.shardwise.cli;

import picocli.CommandLine.Command;

/** {@code shardwise app}: look at and reset a consumer application's leases (Shardwise or KCL 3.x tables). */
@Command(name = "app", mixinStandardHelpOptions = true,
        header = "Describe, reset or watch a consumer application (tables written by Shardwise or the KCL 3.x).",
        description = {"The application name is the lease table's name. Every command needs an endpoint:",
                "--region (AWS), --endpoint, or " + Target.KINESIS_ENV + " (see 'shardwise local')."},
        subcommands = {AppDescribeCommand.class, AppResetCommand.class, AppWatchCommand.class})
final class AppCommand {
}
