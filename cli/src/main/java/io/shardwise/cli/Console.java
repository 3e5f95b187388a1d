package io.shardwise.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command's standard streams, as {@link Shardwise#commandLine} wired them (a picocli mixin
 * without options; picocli takes a class without them as a mixin only when it is a bare
 * {@code @Command}, which adds nothing to the command): the process's streams, or a test's.
 */
@Command
final class Console {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    InputStream in() {
        return ((Shardwise) spec.root().userObject()).in();
    }

    /** A usage error of this command (exit code 2, one line naming the command's help). */
    CommandLine.ParameterException usageError(IllegalArgumentException e) {
        return new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
}
