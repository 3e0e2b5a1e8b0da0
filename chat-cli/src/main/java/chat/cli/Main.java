package chat.cli;

import chat.bench.BenchCommand;
import chat.cli.echo.EchoCommand;
import chat.cli.server.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chat} command: one entry point, a subcommand per tool. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A multi-user chat server, its terminal client, network diagnostics and load"
        + " generator.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }

  /**
   * The command tree {@code args} need: for {@code chat server ...} only the server's command,
   * which parses and runs it the same (its help and errors are its own) without building every
   * other command's model first (picocli reads their annotations by reflection: a good part of
   * a server's start, docs/BENCHMARKS.md "Start-up"); for anything else the whole tree.
   */
  static CommandLine commandLine(String[] args) {
    if (args.length > 0 && args[0].equals("server")) {
      CommandLine cli = new CommandLine(new Main());
      cli.addSubcommand(new ServerCommand());
      return cli;
    }
    return commandLine();
  }

  /** The configured command tree; tests execute it in-process. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    // Subcommands register here, one line each.
    cli.addSubcommand(new ServerCommand());
    cli.addSubcommand(new EchoCommand());
    cli.addSubcommand(new BenchCommand());
    cli.addSubcommand(new chat.bench.FileBenchCommand());
    cli.addSubcommand(new chat.cli.user.UserCommand());
    cli.addSubcommand(new chat.cli.term.ConnectCommand());
    cli.addSubcommand(new chat.cli.cluster.ClusterCommand());
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"chat " + (version == null ? "dev" : version)};
    }
  }
}
