package chat.cli.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small parts of the terminal's file commands: typed paths, the downloads folder, ids. */
class FilePartsTest {

  @TempDir
  Path temp;

  @Test
  void typedPathsSplitLikeAShellAndExpandHome() {
    assertThat(TypedPaths.words("a 'b c' \"d \\\" e\" f\\ g").stream()
        .map(TypedPaths.Word::text)).containsExactly("a", "b c", "d \" e", "f g");
    assertThat(TypedPaths.words("  two  words ")).extracting(TypedPaths.Word::start)
        .containsExactly(2, 7);
    assertThatThrownBy(() -> TypedPaths.words("'open")).hasMessage(
        "the single quote is not closed");
    Path home = Path.of("/home/alice");
    assertThat(TypedPaths.expand("~", home)).isEqualTo(home);
    assertThat(TypedPaths.expand("~/a b.txt", home)).isEqualTo(Path.of("/home/alice/a b.txt"));
    assertThat(TypedPaths.expand("~bob/x", home)).isEqualTo(Path.of("~bob/x").toAbsolutePath());
    assertThat(TypedPaths.expand("/tmp/x", home)).isEqualTo(Path.of("/tmp/x"));
    assertThat(TypedPaths.expand("rel.txt", home)).isEqualTo(Path.of("rel.txt").toAbsolutePath());
  }

  @Test
  void downloadsGoWhereTheFlagTheEnvironmentOrXdgSay() throws Exception {
    Path home = temp.resolve("home");
    assertThat(Downloads.folder(null, Map.of(), home)).isEqualTo(home.resolve("Downloads/chat"));
    assertThat(Downloads.folder(Path.of("~/in"), Map.of(Downloads.ENV, "/elsewhere"), home))
        .isEqualTo(home.resolve("in"));
    assertThat(Downloads.folder(null, Map.of(Downloads.ENV, "/elsewhere"), home))
        .isEqualTo(Path.of("/elsewhere"));
    assertThat(Downloads.folder(null, Map.of("XDG_DOWNLOAD_DIR", "/data/dl"), home))
        .isEqualTo(Path.of("/data/dl/chat"));

    // xdg-user-dirs writes the folder to user-dirs.dirs; $HOME itself means "none".
    Path config = Files.createDirectories(home.resolve(".config"));
    Files.writeString(config.resolve("user-dirs.dirs"),
        "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\n"
            + "XDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n");
    assertThat(Downloads.folder(null, Map.of(), home))
        .isEqualTo(home.resolve("Téléchargements/chat"));
    Files.writeString(config.resolve("user-dirs.dirs"), "XDG_DOWNLOAD_DIR=\"$HOME/\"\n");
    assertThat(Downloads.folder(null, Map.of(), home)).isEqualTo(home.resolve("Downloads/chat"));
  }

  @Test
  void idsAreShownByAShortStartThatNamesOneFile() {
    FileIds ids = new FileIds();
    ids.remember(new FileIds.Info("q3Jx0aZ8kM2bW1cT5yE9Hg", "a.txt", 3, "text/plain"));
    assertThat(ids.hint("q3Jx0aZ8kM2bW1cT5yE9Hg")).isEqualTo("q3Jx0a");
    ids.remember(new FileIds.Info("q3Jx0aQQkM2bW1cT5yE9Hg", "b.txt", 3, "text/plain"));
    assertThat(ids.hint("q3Jx0aZ8kM2bW1cT5yE9Hg")).isEqualTo("q3Jx0aZ");
    assertThat(ids.hint("q3Jx0aQQkM2bW1cT5yE9Hg")).isEqualTo("q3Jx0aQ");
    ids.remember(new FileIds.Info("zzzzzzzzzzzzzzzzzzzzz1", "c.txt", 3, "text/plain"));

    assertThat(ids.matching("q3Jx0aZ")).extracting(FileIds.Info::name).containsExactly("a.txt");
    assertThat(ids.matching("q3")).extracting(FileIds.Info::name)
        .containsExactly("b.txt", "a.txt");
    assertThat(ids.matching("zzzzzzzzzzzzzzzzzzzzz1")).extracting(FileIds.Info::name)
        .containsExactly("c.txt");
    assertThat(ids.matching("Q3")).isEmpty(); // Ids are case-sensitive.
    assertThat(ids.matching("nope")).isEqualTo(List.of());
  }
}
