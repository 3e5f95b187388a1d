package io.shardwise.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Placeholder for the end-to-end demo, which comes with its own issue. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Run the end-to-end demo (not built yet).",
        description = "Run producer, consumer and Lambda adapter against local engines (not built yet).")
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("shardwise demo: not built yet; it comes with issue 7");
        return Shardwise.EXIT_USAGE;
    }
}
