package chat.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * The schema migrations under {@code db/migration/<vendor>}, and a cheap look at whether a
 * database already has all of them, so that a start on a current schema skips Flyway (whose
 * class-path scan, validation and history locking took most of a start's store time:
 * docs/BENCHMARKS.md, "Start-up").
 *
 * <p>Current means exactly what Flyway's validate-then-migrate would find nothing to do for:
 * the history table lists every script below, in order, each successful, with the version,
 * script name and checksum Flyway gives it (CRC32 over the script's lines, as Flyway's
 * {@code ChecksumCalculator} computes it), and nothing else but Flyway's note that it created the
 * schema. Anything else (no database, no
 * history table, an older schema, a failed, edited, unknown or newer migration) leaves the
 * decision to Flyway, which migrates or fails as it always did.
 */
final class Migrations {

  private Migrations() {}

  /**
   * Every migration script per vendor, oldest first. A new script is added here too;
   * {@code MigrationsTest} fails while this list and the resource directory differ.
   */
  static final Map<String, List<String>> SCRIPTS = Map.of(
      "sqlite", List.of(
          "V1__messages_and_accounts.sql",
          "V2__rooms_and_markers.sql",
          "V3__room_seqs.sql",
          "V4__room_flags.sql"),
      "postgresql", List.of(
          "V1__messages_and_accounts.sql",
          "V2__rooms_and_markers.sql",
          "V3__room_seqs.sql",
          "V4__cluster_directory.sql",
          "V5__files.sql",
          "V6__room_flags.sql"));

  /** Flyway's history table (its default name). */
  static final String HISTORY_TABLE = "flyway_schema_history";

  /** One row of the history table, as far as the check needs it. */
  record Applied(String version, String script, Integer checksum, boolean success) {}

  /** One expected row: what Flyway records for the script. */
  record Expected(String version, String script, int checksum) {}

  /**
   * True when the database behind {@code dataSource} (in {@code schema}, or the connection's
   * current schema when null) has every migration of {@code vendor} applied as shipped; false
   * when it has not or this cannot be told (then Flyway decides). Never throws for a database
   * that is missing or unreadable.
   */
  static boolean current(DataSource dataSource, String vendor, String schema) {
    List<Expected> expected = expected(vendor);
    try (Connection c = dataSource.getConnection()) {
      String table = HISTORY_TABLE;
      if (vendor.equals("postgresql")) {
        String in = schema;
        if (in == null || in.isEmpty()) {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            in = rs.next() ? rs.getString(1) : null;
          }
          if (in == null) {
            return false;
          }
        }
        table = quoted(in) + "." + HISTORY_TABLE;
      }
      List<Applied> applied = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT version, script, checksum, success, type FROM "
              + table + " ORDER BY installed_rank")) {
        while (rs.next()) {
          if ("SCHEMA".equals(rs.getString(5)) && rs.getBoolean(4)) {
            continue; // Flyway's note that it created the schema (PostgreSQL), not a migration
          }
          int checksum = rs.getInt(3);
          applied.add(new Applied(rs.getString(1), rs.getString(2),
              rs.wasNull() ? null : checksum, rs.getBoolean(4)));
        }
      }
      return matches(applied, expected);
    } catch (SQLException | RuntimeException e) {
      return false; // no history table yet, no schema, no database: Flyway makes them
    }
  }

  /** True when {@code applied} is exactly {@code expected}, each one successful. */
  static boolean matches(List<Applied> applied, List<Expected> expected) {
    if (applied.size() != expected.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      Applied a = applied.get(i);
      Expected e = expected.get(i);
      if (!a.success() || !e.version().equals(a.version()) || !e.script().equals(a.script())
          || a.checksum() == null || a.checksum() != e.checksum()) {
        return false;
      }
    }
    return true;
  }

  /** What Flyway records for each script of {@code vendor}, read from the class path. */
  static List<Expected> expected(String vendor) {
    List<String> scripts = SCRIPTS.get(vendor);
    if (scripts == null) {
      throw new IllegalArgumentException("no migrations for " + vendor);
    }
    List<Expected> expected = new ArrayList<>();
    for (String script : scripts) {
      String version = script.substring(1, script.indexOf("__"));
      expected.add(new Expected(version, script, checksum(location(vendor) + "/" + script)));
    }
    return expected;
  }

  /** The class-path directory of {@code vendor}'s scripts, as Flyway's location names it. */
  static String location(String vendor) {
    return "db/migration/" + vendor;
  }

  /**
   * Flyway's checksum of a script: CRC32 over its lines read as UTF-8, without line endings
   * and without a leading byte-order mark.
   */
  static int checksum(String resource) {
    CRC32 crc = new CRC32();
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("migration " + resource + " is not on the class path");
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      boolean first = true;
      while ((line = lines.readLine()) != null) {
        if (first && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
          line = line.substring(1);
        }
        first = false;
        crc.update(line.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (int) crc.getValue();
  }

  private static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
