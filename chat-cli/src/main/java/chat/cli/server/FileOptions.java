package chat.cli.server;

import chat.core.FileLimits;
import chat.core.store.FileStore;
import chat.core.store.MemoryFileStore;
import chat.store.DiskFileStore;
import java.nio.file.Path;
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

  FileLimits limits() {
    return FileLimits.DEFAULT.withMaxFileBytes(maxFileMib * MIB)
        .withQuotas(accountQuotaMib * MIB, guestQuotaMib * MIB)
        .withFilesPerMinute(filesPerMinute)
        .withDiskBudget(diskBudgetMib * MIB)
        .withRetention(Duration.ofDays(retentionDays), FileLimits.DEFAULT.abandonAfter());
  }

  /** Files in memory with {@code --store memory}, else in {@code --files-dir}. */
  FileStore open(String store, Path dataDir) {
    return "memory".equals(store) ? new MemoryFileStore() : DiskFileStore.open(dir(dataDir));
  }

  /** {@code --files-dir}, or {@code <data-dir>/files}. */
  Path dir(Path dataDir) {
    return filesDir != null ? filesDir : dataDir.resolve("files");
  }
}
