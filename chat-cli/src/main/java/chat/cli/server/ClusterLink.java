package chat.cli.server;

import chat.cluster.NatsBus;
import chat.store.PgDirectory;
import chat.store.Store;
import java.io.IOException;

/**
 * What a server needs to share rooms and users with others (docs/ARCHITECTURE.md, "Several
 * servers"): the NATS bus and the cluster directory on the shared PostgreSQL, opened together
 * and closed together, after the server.
 */
record ClusterLink(NatsBus bus, PgDirectory directory) implements AutoCloseable {

  /**
   * Connects to NATS at {@code natsUrl} and joins the directory of the servers on the
   * PostgreSQL at {@code storeUrl} (which {@code store} opened and migrated), as {@code address}.
   */
  static ClusterLink open(String natsUrl, String storeUrl, Store store, String address)
      throws IOException, InterruptedException {
    NatsBus bus = NatsBus.connect(natsUrl, NatsBus.clusterName(storeUrl));
    try {
      return new ClusterLink(bus, PgDirectory.open(storeUrl, store.nodeNumber(), address));
    } catch (RuntimeException e) {
      bus.close();
      throw e;
    }
  }

  @Override
  public void close() {
    directory.close();
    bus.close();
  }
}
