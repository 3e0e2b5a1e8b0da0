package chat.bench;

import java.net.InetSocketAddress;

/** The server under load: where it listens and what can be learnt about its resource use. */
record Target(InetSocketAddress address, ServerProbe probe) {}
