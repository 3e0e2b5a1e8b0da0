package chat.cli.echo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chat echo}: the echo server and client of the classic socket lessons. */
@Command(
    name = "echo",
    description = {
      "Network diagnostics: an echo server and a client that measures round-trip times.",
      "Start `chat echo server`, then run `chat echo client` against it."
    },
    subcommands = {EchoServerCommand.class, EchoClientCommand.class})
public final class EchoCommand {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;
}
