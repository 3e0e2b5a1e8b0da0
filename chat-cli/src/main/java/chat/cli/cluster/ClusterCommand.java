package chat.cli.cluster;

import chat.core.cluster.Directory;
import chat.store.PgDirectory;
import chat.store.StoreException;
import chat.store.Stores;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chat cluster}: the servers sharing rooms on one PostgreSQL, as its directory sees them. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "The servers sharing rooms and users (chat server --cluster).",
    subcommands = {ClusterCommand.Status.class})
public final class ClusterCommand {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "List the servers of the cluster: alive or not, since when, last heartbeat,"
          + " nicks held. Exit status 0 when at least one is alive, 1 when none is.")
  static final class Status implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--store", defaultValue = "${env:CHAT_STORE}", required = true,
        description = "The jdbc:postgresql:// URL the servers share (env CHAT_STORE).")
    String store;

    @Option(names = "--all", description = "Also list servers that stopped long ago.")
    boolean all;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (store == null || !store.startsWith("jdbc:postgresql:")) {
        err.println("a cluster shares a PostgreSQL store: give --store jdbc:postgresql://...");
        return 2;
      }
      List<Directory.NodeStatus> nodes;
      try {
        Stores.open(store, null).close(); // the schema, migrated as a server would
        nodes = PgDirectory.status(store);
      } catch (StoreException e) {
        err.println(e.getMessage());
        return 1;
      }
      long now = System.currentTimeMillis();
      out.printf("%-6s %-6s %-22s %-21s %-12s %s%n", "SERVER", "STATE", "ADDRESS", "STARTED",
          "LAST SEEN", "NICKS");
      int alive = 0;
      int shown = 0;
      for (Directory.NodeStatus n : nodes) {
        if (n.alive()) {
          alive++;
        } else if (!all && (now - n.seenTs() > 3_600_000L || shown >= 20)) {
          continue;
        }
        shown++;
        out.printf("%-6d %-6s %-22s %-21s %-12s %d%n", n.node(), n.alive() ? "alive" : "gone",
            n.address(), TIME.format(Instant.ofEpochMilli(n.startedTs())),
            ago(now - n.seenTs()), n.nicks());
      }
      out.println(alive + " alive of " + nodes.size() + " known");
      out.flush();
      return alive > 0 ? 0 : 1;
    }

    private static String ago(long millis) {
      long s = Math.max(0, millis / 1000);
      return s < 120 ? s + " s ago" : s < 7200 ? s / 60 + " min ago" : s / 3600 + " h ago";
    }
  }
}
