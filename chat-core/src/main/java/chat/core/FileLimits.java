package chat.core;

import java.time.Duration;

/**
 * Limits on shared files (docs/PROTOCOL.md, "Files").
 *
 * @param maxFileBytes the largest file (default 100 MiB)
 * @param accountQuota bytes an account may have stored (default 1 GiB)
 * @param guestQuota bytes a guest may have stored (default 100 MiB)
 * @param filesPerMinute uploads one account or guest may announce per minute (default 10)
 * @param diskBudget bytes all files together may take (default 10 GiB); new uploads past it are
 *     refused before the disk fills
 * @param retention how long a file is kept (default 30 days); an expired file says so
 * @param abandonAfter an upload not finished in this time is removed (default 1 hour)
 * @param chunkBytes the largest chunk (the door sets it to its largest frame content)
 * @param window chunks a sender may have unconfirmed (default 8)
 */
public record FileLimits(long maxFileBytes, long accountQuota, long guestQuota,
    int filesPerMinute, long diskBudget, Duration retention, Duration abandonAfter,
    int chunkBytes, int window) {

  private static final long MIB = 1024L * 1024;

  public static final FileLimits DEFAULT = new FileLimits(100 * MIB, 1024 * MIB, 100 * MIB, 10,
      10 * 1024 * MIB, Duration.ofDays(30), Duration.ofHours(1), 64 * 1024, 8);

  public FileLimits {
    if (maxFileBytes < 1 || accountQuota < 0 || guestQuota < 0 || filesPerMinute < 1
        || diskBudget < 0 || chunkBytes < 1 || window < 1) {
      throw new IllegalArgumentException("file limits must be positive");
    }
    if (retention == null || retention.isNegative() || retention.isZero() || abandonAfter == null
        || abandonAfter.isNegative() || abandonAfter.isZero()) {
      throw new IllegalArgumentException("retention and abandonAfter must be > 0");
    }
  }

  public FileLimits withMaxFileBytes(long bytes) {
    return new FileLimits(bytes, accountQuota, guestQuota, filesPerMinute, diskBudget, retention,
        abandonAfter, chunkBytes, window);
  }

  public FileLimits withQuotas(long account, long guest) {
    return new FileLimits(maxFileBytes, account, guest, filesPerMinute, diskBudget, retention,
        abandonAfter, chunkBytes, window);
  }

  public FileLimits withFilesPerMinute(int files) {
    return new FileLimits(maxFileBytes, accountQuota, guestQuota, files, diskBudget, retention,
        abandonAfter, chunkBytes, window);
  }

  public FileLimits withDiskBudget(long bytes) {
    return new FileLimits(maxFileBytes, accountQuota, guestQuota, filesPerMinute, bytes,
        retention, abandonAfter, chunkBytes, window);
  }

  public FileLimits withRetention(Duration keep, Duration abandon) {
    return new FileLimits(maxFileBytes, accountQuota, guestQuota, filesPerMinute, diskBudget,
        keep, abandon, chunkBytes, window);
  }

  public FileLimits withChunks(int bytes, int inFlight) {
    return new FileLimits(maxFileBytes, accountQuota, guestQuota, filesPerMinute, diskBudget,
        retention, abandonAfter, bytes, inFlight);
  }
}
