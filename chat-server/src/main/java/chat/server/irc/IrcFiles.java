package chat.server.irc;

import chat.core.FileRef;
import chat.core.MessageKind;
import chat.server.FileLinks;

/**
 * Shared files as IRC members see them: a message from the sender naming the file, its size
 * and type, and a signed link to it on the web door ({@code shared report.pdf (2.4 MB,
 * application/pdf) https://host:port/files/...}). The link is made when the line is written,
 * so one replayed from history works as long as a fresh one.
 */
public final class IrcFiles {

  /** No web door to link to: the line names the file only. */
  public static final IrcFiles NONE = new IrcFiles(null, null);

  private final FileLinks links;
  private final String baseUrl;

  /**
   * @param links signs the links (null: none)
   * @param baseUrl the web door as people reach it, such as {@code https://chat.example.org},
   *     without a trailing slash (null: no web door, no links)
   */
  public IrcFiles(FileLinks links, String baseUrl) {
    this.links = links;
    this.baseUrl = baseUrl;
  }

  /** The text an IRC client is sent for a message: a file's line, or the text as it is. */
  public String text(MessageKind kind, String text) {
    if (kind != MessageKind.FILE) {
      return text;
    }
    FileRef file = FileRef.decode(text);
    if (file == null) {
      return text;
    }
    String line = "shared " + file.describe();
    if (links == null || baseUrl == null) {
      return line;
    }
    return line + " " + baseUrl + links.path(file.id(), file.name());
  }
}
