package chat.cli.server;

import chat.core.FileLimits;
import chat.core.store.FileStore;
import chat.core.store.MemoryFileStore;
import chat.server.FileLinks;
import chat.store.DiskFileStore;
import chat.store.PgFileStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code chat server}'s options for shared files: where they live and their limits. */
final class FileOptions {

  private static final long MIB = 1024L * 1024;

  @Option(names = "--max-file-size", defaultValue = "100", paramLabel = "MIB",
      description = "Largest file, in MiB. Default: ${DEFAULT-VALUE}.")
  long maxFileMib;

  @Option(names = "--file-quota", defaultValue = "1024", paramLabel = "MIB",
      description = "MiB of files one account may keep. Default: ${DEFAULT-VALUE}.")
  long accountQuotaMib;

  @Option(names = "--guest-file-quota", defaultValue = "100", paramLabel = "MIB",
      description = "MiB of files one guest may keep. Default: ${DEFAULT-VALUE}.")
  long guestQuotaMib;

  @Option(names = "--files-per-minute", defaultValue = "10",
      description = "Uploads one account or guest may start per minute. "
          + "Default: ${DEFAULT-VALUE}.")
  int filesPerMinute;

  @Option(names = "--file-disk-budget", defaultValue = "10240", paramLabel = "MIB",
      description = "MiB all files together may take; new uploads past it are refused. "
          + "Default: ${DEFAULT-VALUE}.")
  long diskBudgetMib;

  @Option(names = "--file-retention", defaultValue = "30", paramLabel = "DAYS",
      description = "Days a shared file is kept; then a download says it expired. "
          + "Default: ${DEFAULT-VALUE}.")
  int retentionDays;

  @Option(names = "--files-dir", paramLabel = "DIR",
      description = "Where shared files are kept (default: <data-dir>/files). Another disk than"
          + " the database's keeps a large upload's final sync from delaying chat commits.")
  Path filesDir;

  @Option(names = "--files-store", paramLabel = "KIND",
      description = "Where shared files' records and bytes live: disk (--files-dir) or postgresql"
          + " (the --store jdbc:postgresql:// database, so that every server of a cluster lists"
          + " and serves every file and resumes every upload). Default: postgresql with --cluster,"
          + " else disk.")
  String filesStore;

  FileLimits limits() {
    return FileLimits.DEFAULT.withMaxFileBytes(maxFileMib * MIB)
        .withQuotas(accountQuotaMib * MIB, guestQuotaMib * MIB)
        .withFilesPerMinute(filesPerMinute)
        .withDiskBudget(diskBudgetMib * MIB)
        .withRetention(Duration.ofDays(retentionDays), FileLimits.DEFAULT.abandonAfter());
  }

  /**
   * Files in memory with {@code --store memory}; else per {@code --files-store}: in the
   * PostgreSQL of {@code --store} (the default when {@code clustered}), or in
   * {@code --files-dir}.
   *
   * @throws IllegalArgumentException for an unknown kind, or postgresql without a PostgreSQL store
   */
  FileStore open(String store, Path dataDir, boolean clustered) {
    boolean postgres = store.startsWith("jdbc:postgresql:");
    String kind = filesStore != null ? filesStore.strip()
        : "memory".equals(store) ? "memory" : clustered && postgres ? "postgresql" : "disk";
    switch (kind) {
      case "memory" -> {
        return new MemoryFileStore();
      }
      case "disk" -> {
        return DiskFileStore.open(dir(dataDir));
      }
      case "postgresql" -> {
        if (!postgres) {
          throw new IllegalArgumentException("--files-store postgresql keeps files in the --store"
              + " database: add --store jdbc:postgresql://...");
        }
        return PgFileStore.open(store);
      }
      default -> throw new IllegalArgumentException("unknown --files-store '" + kind
          + "': expected disk or postgresql");
    }
  }

  /**
   * What signs links to files: for files on PostgreSQL the key every server of the database
   * shares (a link made by one works on all); else {@code link.key} beside the files, so links
   * outlive a restart; none for files in memory (the server's default: a key of this process).
   */
  FileLinks links(FileStore fileStore, Path dataDir) throws IOException {
    if (fileStore instanceof PgFileStore pg) {
      return new FileLinks(pg.linkKey(), Clock.systemUTC(), FileLinks.DEFAULT_LIFETIME);
    }
    return fileStore instanceof MemoryFileStore ? null
        : FileLinks.persistent(dir(dataDir).resolve("link.key"), Clock.systemUTC());
  }

  /** {@code --files-dir}, or {@code <data-dir>/files}. */
  Path dir(Path dataDir) {
    return filesDir != null ? filesDir : dataDir.resolve("files");
  }
}
