package chat.client;

import chat.protocol.Frame;
import chat.protocol.Json;
import chat.protocol.Keys;
import chat.protocol.Types;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.node.ObjectNode;

/** A connection's first exchange: the {@code hello} the client says, and waiting for its answer. */
final class Hello {

  private Hello() {}

  /**
   * The {@code hello} for {@code options}.
   *
   * @param resumeToken a guest's resume token to hand in, {@code ""} to ask for one, or null for
   *     neither (an account, or a connection that will not be resumed)
   */
  static ObjectNode header(ClientOptions options, String resumeToken) {
    ObjectNode hello = Json.header(Types.HELLO);
    hello.put(Keys.VERSION, ChatClient.PROTOCOL_VERSION);
    if (options.nick() != null && !options.nick().isEmpty()) {
      hello.put(Keys.NICK, options.nick());
    }
    if (options.password() != null) {
      hello.put(Keys.PASSWORD, new String(options.password()));
    }
    hello.put(Keys.CLIENT, options.clientName());
    if (resumeToken != null) {
      hello.put(Keys.RESUME, resumeToken);
    }
    return hello;
  }

  /**
   * The {@code welcome} that answers {@code reply}, within {@code timeout}; otherwise
   * {@code abandon} runs (it closes the connection) and the failure is said in words.
   *
   * @param address the server, as messages name it
   */
  static Frame welcome(CompletableFuture<Frame> reply, Duration timeout, String address,
      Runnable abandon) throws ChatClientException {
    try {
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      abandon.run();
      Throwable cause = e.getCause();
      if (cause instanceof ChatErrorException error) {
        throw new ChatClientException(address + " refused the connection: "
            + error.getMessage(), error);
      }
      throw new ChatClientException("could not connect to " + address + ": "
          + ChatClient.describe(cause), cause);
    } catch (TimeoutException e) {
      abandon.run();
      throw new ChatClientException("could not connect to " + address
          + ": no welcome within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      abandon.run();
      Thread.currentThread().interrupt();
      throw new ChatClientException("interrupted while connecting to " + address);
    }
  }
}
