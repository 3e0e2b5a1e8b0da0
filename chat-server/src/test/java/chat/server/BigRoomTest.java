package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.CoreLimits;
import chat.protocol.Frame;
import chat.protocol.Json;
import chat.server.irc.IrcConfig;
import chat.server.irc.IrcMessage;
import chat.server.irc.IrcTestClient;
import tools.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A quiet room (more people than {@code --presence-limit}) through both doors' sockets: a join
 * names only the joiner, nobody hears of arrivals or departures, who and NAMES list everyone, and
 * the room speaks again, with its members, at nine tenths of the limit.
 */
class BigRoomTest {

  private static final int LIMIT = 10;

  private ChatServer server;
  private final List<WireClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (WireClient client : clients) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private WireClient connect(String nick) throws Exception {
    WireClient client = WireClient.hello(server.port(), nick);
    clients.add(client);
    // In the default room already; joining it again answers with its state, as the browser asks.
    client.send(Json.header("join").put("id", "j").put("room", "lobby"));
    client.awaitReply("j");
    return client;
  }

  /** The reply to the join of the default room. */
  private static Frame lobbyJoin(WireClient client) {
    return client.received.stream().filter(f -> "j".equals(f.id())).findFirst().orElseThrow();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Set<String> namesOf(List<IrcMessage> lines) {
    Set<String> names = new TreeSet<>();
    for (IrcMessage line : lines) {
      if (line.command().equals("353")) {
        for (String name : line.param(3).split(" ")) {
          names.add(name.replaceFirst("^[@+]+", ""));
        }
      }
    }
    return names;
  }

  @Test
  void aQuietRoomTellsNoArrivalsListsOnDemandAndSpeaksAgainWithItsMembers() throws Exception {
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(CoreLimits.DEFAULT.withPresenceLimit(LIMIT)))
        .irc(IrcConfig.of("127.0.0.1", 0)).start();
    for (int i = 0; i < LIMIT; i++) {
      connect("u" + i);
    }
    WireClient first = clients.get(0);
    assertThat(lobbyJoin(clients.get(LIMIT - 1)).field("quiet")).isNull();
    assertThat(strings(lobbyJoin(clients.get(LIMIT - 1)).field("members"))).hasSize(LIMIT);

    WireClient over = connect("over");
    Frame joined = lobbyJoin(over);
    assertThat(joined.field("quiet").asBoolean()).isTrue();
    assertThat(joined.number("member-count", 0)).isEqualTo(LIMIT + 1);
    assertThat(strings(joined.field("members"))).containsExactly("over");
    Frame quiet = first.await(f -> "presence".equals(f.type()));
    assertThat(quiet.field("quiet").asBoolean()).isTrue();
    assertThat(quiet.number("member-count", 0)).isEqualTo(LIMIT + 1);

    try (IrcTestClient irc = IrcTestClient.register(server.ircPort(), "ircy")) {
      irc.send("JOIN #lobby");
      List<IrcMessage> join = irc.until(m -> m.command().equals("NOTICE")
          && m.param(1).contains("are not shown"));
      assertThat(namesOf(join)).containsExactly("ircy");
      assertThat(join).anyMatch(m -> m.command().equals("366"));

      irc.send("NAMES #lobby");
      List<IrcMessage> names = irc.until(m -> m.command().equals("366"));
      assertThat(namesOf(names)).hasSize(LIMIT + 2).contains("u0", "over", "ircy");

      first.send(Json.header("who").put("id", "w").put("room", "lobby"));
      Frame who = first.awaitReply("w");
      assertThat(strings(who.field("members"))).hasSize(LIMIT + 2).contains("ircy", "over");

      // Three leave (12 -> 9 people): nobody hears of them, then the room speaks again.
      for (int i = 0; i < 3; i++) {
        WireClient leaving = clients.remove(clients.size() - 1);
        leaving.send(Json.header("leave").put("id", "l").put("room", "lobby"));
        leaving.awaitReply("l");
        leaving.close();
      }
      Frame loud = first.await(f -> "presence".equals(f.type())
          && !f.field("quiet").asBoolean());
      assertThat(loud.number("member-count", 0)).isEqualTo(LIMIT - 1);
      assertThat(strings(loud.field("members"))).hasSize(LIMIT - 1).contains("u0", "ircy")
          .doesNotContain("over");
      List<IrcMessage> again = irc.until(m -> m.command().equals("366"));
      assertThat(again).anyMatch(m -> m.command().equals("NOTICE")
          && m.param(1).contains("shown again"));
      assertThat(namesOf(again)).hasSize(LIMIT - 1).contains("u0", "ircy");

      // Arrivals are told again, to both doors.
      WireClient back = connect("back");
      assertThat(lobbyJoin(back).field("quiet")).isNull();
      first.await(f -> "joined".equals(f.type()) && "back".equals(f.string("nick")));
      irc.await(m -> m.command().equals("JOIN") && m.source().startsWith("back!"));
    }
    // Nobody heard of an arrival or departure while the room was quiet.
    assertThat(first.received).noneMatch(f -> "joined".equals(f.type())
        && Set.of("over", "ircy").contains(f.string("nick")));
    assertThat(first.received).noneMatch(f -> ("left".equals(f.type())
        || "quit".equals(f.type())) && Set.of("over", "u8", "u9").contains(f.string("nick")));
  }
}
