package io.shardwise.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code shardwise} command line: {@code java -jar shardwise.jar <command>}. Commands read
 * standard input or a file and write JSON lines to standard output; an error is one line on
 * standard error and a non-zero exit code (1 for a failed run, 2 for a usage error).
 */
@Command(name = "shardwise", mixinStandardHelpOptions = true, versionProvider = Shardwise.Version.class,
        description = "Kinesis Data Streams tools: the KPL aggregated record format and more.",
        subcommands = {InspectCommand.class, AggregateCommand.class, DemoCommand.class, LocalCommand.class,
                PutCommand.class, TailCommand.class, DemoWorkerCommand.class,
                AppCommand.class,
                CommandLine.HelpCommand.class})
public final class Shardwise {

    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private final InputStream in;

    private Shardwise(InputStream in) {
        this.in = in;
    }

    /** Runs the command line with the process's streams and exits with its code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int exitCode = commandLine(System.in, out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /** The command line wired to the given streams, ready to {@code execute(args)}. */
    static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Shardwise(Objects.requireNonNull(in, "in")));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(Shardwise::usageError);
        commandLine.setExecutionExceptionHandler(Shardwise::failure);
        return commandLine;
    }

    InputStream in() {
        return in;
    }

    /** One line, and where to read more; picocli's default prints the whole usage. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println("shardwise: " + e.getMessage() + " (see '" + command.getCommandSpec().qualifiedName()
                + " --help')");
        return EXIT_USAGE;
    }

    private static int failure(Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        String message = e instanceof CliException || e instanceof IllegalArgumentException
                ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + message);
        return EXIT_FAILURE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Shardwise.class.getPackage().getImplementationVersion();
            return new String[] {"shardwise " + (version == null ? "(development build)" : version)};
        }
    }
}
