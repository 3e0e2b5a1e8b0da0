package chat.client;

/**
 * The connection was refused because the server's TLS certificate is not trusted: it failed
 * verification, or it differs from the one remembered for the server on first use. Trying again
 * will not help; a person has to decide. Nothing was sent to the server.
 */
public class UntrustedServerException extends ChatClientException {

  private final boolean certificateChanged;

  public UntrustedServerException(String message, Throwable cause, boolean certificateChanged) {
    super(message, cause);
    this.certificateChanged = certificateChanged;
  }

  /** True when the server's certificate differs from the one pinned in the known-servers file. */
  public boolean certificateChanged() {
    return certificateChanged;
  }
}
