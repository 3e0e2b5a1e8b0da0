package chat.cli.user;

import chat.core.Names;
import chat.core.store.Account;
import chat.server.Argon2Hasher;
import chat.store.Store;
import chat.store.Stores;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chat user}: account administration straight on the store, whether the server is
 * running or not (SQLite in WAL mode and PostgreSQL both allow a second writer).
 */
@Command(name = "user", mixinStandardHelpOptions = true,
    description = "Manage accounts in the store (works while the server runs or is stopped).",
    subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.Del.class,
        UserCommand.ListUsers.class})
public final class UserCommand {

  /** Where the store is; the same options and defaults as {@code chat server}. */
  static final class StoreOptions {
    @Option(names = "--data-dir", defaultValue = "${env:CHAT_DATA_DIR:-data}",
        description = "Data directory of the server (env CHAT_DATA_DIR). Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--store", defaultValue = "${env:CHAT_STORE:-sqlite}",
        description = "sqlite, memory or a jdbc:postgresql:// URL (env CHAT_STORE). Default: ${DEFAULT-VALUE}.")
    String store;

    Store open() {
      return Stores.open(store, dataDir);
    }
  }

  /** Reads a new password: twice without echo on a console, or one line from stdin. */
  static char[] readNewPassword(boolean fromStdin, PrintWriter err) throws IOException {
    if (fromStdin) {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line = in.readLine();
      return line == null ? null : line.toCharArray();
    }
    Console console = System.console();
    if (console == null) {
      err.println("no terminal to ask for the password on; use --password-stdin");
      return null;
    }
    char[] first = console.readPassword("new password: ");
    char[] second = console.readPassword("again: ");
    if (first == null || second == null || !Arrays.equals(first, second)) {
      err.println("the passwords differ");
      return null;
    }
    Arrays.fill(second, '\0');
    return first;
  }

  /** The shortest password the server lets a user choose (and these commands, by default). */
  public static final int MIN_PASSWORD_LENGTH = 8;

  /** What makes {@code password} too weak (or too long) for an account; null when fine. */
  public static String strengthProblem(char[] password) {
    return strengthProblem(password, MIN_PASSWORD_LENGTH);
  }

  static String strengthProblem(char[] password, int minLength) {
    if (password.length < Math.max(1, minLength)) {
      return "password must have at least " + Math.max(1, minLength) + " characters";
    }
    return password.length > 1024 ? "password must have at most 1024 characters" : null;
  }

  /** The operator may set a shorter password than users may choose (test accounts, say). */
  static final class Strength {
    @Option(names = "--min-password-length", defaultValue = "8", paramLabel = "N",
        description = "shortest password accepted here (the server's own rule for users "
            + "is 8). Default: ${DEFAULT-VALUE}.")
    int minLength;
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Create an account.")
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions where;
    @Parameters(paramLabel = "NAME", description = "account name, which is also the nick it owns")
    String name;
    @Option(names = "--admin", description = "make it a server administrator")
    boolean admin;
    @Option(names = "--password-stdin", description = "read the password from the first line of stdin")
    boolean passwordStdin;
    @Mixin Strength strength;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String problem = Names.nickProblem(name, 24);
      if (problem != null) {
        err.println("invalid name: " + problem);
        return 2;
      }
      char[] password = readNewPassword(passwordStdin, err);
      if (password == null) {
        return 2;
      }
      try (Store store = where.open()) {
        String weak = strengthProblem(password, strength.minLength);
        if (weak != null) {
          err.println(weak);
          return 2;
        }
        Account account = new Account(name, new Argon2Hasher().hash(password), admin,
            System.currentTimeMillis());
        if (!store.create(account)) {
          err.println("an account named " + name + " exists already");
          return 1;
        }
        out.println("created " + (admin ? "administrator " : "account ") + name);
        return 0;
      } finally {
        Arrays.fill(password, '\0');
      }
    }
  }

  @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Set an account's password.")
  static final class Passwd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions where;
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--password-stdin", description = "read the password from the first line of stdin")
    boolean passwordStdin;
    @Mixin Strength strength;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      char[] password = readNewPassword(passwordStdin, err);
      if (password == null) {
        return 2;
      }
      try (Store store = where.open()) {
        String weak = strengthProblem(password, strength.minLength);
        if (weak != null) {
          err.println(weak);
          return 2;
        }
        if (!store.updatePassword(Names.fold(name), new Argon2Hasher().hash(password))) {
          err.println("no account named " + name);
          return 1;
        }
        spec.commandLine().getOut().println("password of " + name + " changed");
        return 0;
      } finally {
        Arrays.fill(password, '\0');
      }
    }
  }

  @Command(name = "del", mixinStandardHelpOptions = true, description = "Delete an account.")
  static final class Del implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions where;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      try (Store store = where.open()) {
        if (!store.delete(Names.fold(name))) {
          spec.commandLine().getErr().println("no account named " + name);
          return 1;
        }
        spec.commandLine().getOut().println("deleted " + name);
        return 0;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List accounts.")
  static final class ListUsers implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions where;
    @Option(names = "--admin", description = "only administrators")
    boolean adminsOnly;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (Store store = where.open()) {
        for (Account a : store.list()) {
          if (!adminsOnly || a.admin()) {
            out.printf("%-24s %-6s created %s%n", a.name(), a.admin() ? "admin" : "user",
                Instant.ofEpochMilli(a.createdTs()));
          }
        }
        return 0;
      }
    }
  }
}
