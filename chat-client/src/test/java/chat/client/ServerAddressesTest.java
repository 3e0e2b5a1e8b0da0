package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading and writing server lists, resolving them, and the order a reconnect tries them in. */
class ServerAddressesTest {

  private static InetSocketAddress unresolved(String host, int port) {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Test
  void oneHostIsTheServerOnTheDefaultPort() {
    assertThat(ServerAddresses.parse("chat.example.org", 7667))
        .containsExactly(unresolved("chat.example.org", 7667));
  }

  @Test
  void aListKeepsItsOrderAndEachEntryItsOwnPort() {
    assertThat(ServerAddresses.parse("127.0.0.1:7001, 127.0.0.1:7002,b.example", 7667))
        .containsExactly(unresolved("127.0.0.1", 7001), unresolved("127.0.0.1", 7002),
            unresolved("b.example", 7667));
  }

  @Test
  void ipv6IsBareWithoutAPortAndInBracketsWithOne() {
    assertThat(ServerAddresses.parse("::1,[::1]:7001,[fe80::2]", 7667))
        .containsExactly(unresolved("::1", 7667), unresolved("::1", 7001),
            unresolved("fe80::2", 7667));
    assertThat(ServerAddresses.format(unresolved("::1", 7001))).isEqualTo("[::1]:7001");
  }

  @Test
  void badEntriesSayWhatIsWrong() {
    assertThatThrownBy(() -> ServerAddresses.parse("a:1,,b:2", 7667))
        .hasMessageContaining("empty server address");
    assertThatThrownBy(() -> ServerAddresses.parse("a:70000", 7667))
        .hasMessageContaining("a:70000").hasMessageContaining("1 to 65535");
    assertThatThrownBy(() -> ServerAddresses.parse("a:x", 7667))
        .hasMessageContaining("port x is not a number");
    assertThatThrownBy(() -> ServerAddresses.parse(":7001", 7667))
        .hasMessageContaining("no host");
    assertThatThrownBy(() -> ServerAddresses.parse(" ", 7667))
        .hasMessageContaining("no server address");
  }

  @Test
  void formatWritesWhatParseReads() {
    List<InetSocketAddress> servers = ServerAddresses.parse("a:1,[::1]:2,10.0.0.5:3", 9);
    assertThat(ServerAddresses.parse(ServerAddresses.format(servers), 9)).isEqualTo(servers);
  }

  @Test
  void aNameResolvesToEveryAddressKeepingTheName() throws Exception {
    List<InetSocketAddress> resolved = ServerAddresses.resolve(unresolved("localhost", 7001));
    assertThat(resolved).isNotEmpty().allSatisfy(address -> {
      assertThat(address.isUnresolved()).isFalse();
      assertThat(address.getHostString()).isEqualTo("localhost");
      assertThat(address.getPort()).isEqualTo(7001);
    });
    assertThat(resolved).hasSize(InetAddress.getAllByName("localhost").length);
    InetSocketAddress literal = ServerAddresses.resolve(unresolved("127.0.0.1", 7001)).get(0);
    assertThat(literal.getHostString()).isEqualTo("127.0.0.1");
  }

  @Test
  void theServerOfTheLastConnectionIsTriedFirstThenTheOnesAfterIt() {
    List<InetSocketAddress> servers = ServerAddresses.parse("127.0.0.1:1,127.0.0.1:2,127.0.0.1:3",
        9);
    InetSocketAddress onTwo = new InetSocketAddress("127.0.0.1", 2);

    assertThat(Failover.startingAt(servers, onTwo)).extracting(InetSocketAddress::getPort)
        .containsExactly(2, 3, 1);
    assertThat(Failover.startingAt(servers, null)).isEqualTo(servers);
    assertThat(Failover.startingAt(servers, new InetSocketAddress("127.0.0.1", 4)))
        .isEqualTo(servers);
  }

  @Test
  void onlyAServerThatCannotServeAnyoneMakesWayForTheNext() {
    assertThat(Failover.movesOn(new ChatClientException("could not connect"))).isTrue();
    assertThat(Failover.movesOn(refusal("shutting-down"))).isTrue();
    assertThat(Failover.movesOn(refusal("nick-in-use"))).isFalse();
    assertThat(Failover.movesOn(refusal("login-failed"))).isFalse();
    assertThat(Failover.movesOn(new UntrustedServerException("changed", null, true))).isFalse();
  }

  private static ChatClientException refusal(String code) {
    tools.jackson.databind.node.ObjectNode header = chat.protocol.Json.header("error");
    header.put("code", code);
    header.put("message", code);
    return new ChatClientException("refused", new ChatErrorException(
        chat.protocol.Frame.of(header)));
  }
}
