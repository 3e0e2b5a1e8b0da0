package chat.server;

import chat.core.Command;
import chat.core.Event;
import chat.core.EventSink;
import chat.core.Hub;
import chat.core.CoreLimits;
import chat.core.MessageKind;
import chat.core.Reply;
import chat.core.Session;
import chat.protocol.Frame;
import chat.protocol.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The broadcast path without sockets: one room message from the hub to N members' sinks, with
 * sinks that only count (the hub's own cost) and with sinks that encode the event as the native
 * door did for every member before the shared encoding, with sinks sharing one encoding per event
 * (the door now); and the native encoding of one event alone.
 * Scores are per message; divide by {@code members} for the cost per delivery.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BroadcastBench {

  @Param({"100", "1000"})
  public int members;

  private Hub countingHub;
  private Session countingSender;
  private Hub encodingHub;
  private Session encodingSender;
  private Command.SayToRoom say;
  private Event.RoomMessage event;

  /** Counts events; the hub's cost alone. */
  static final class CountingSink implements EventSink {
    long events;

    @Override
    public void event(Event event, String replyId) {
      events++;
    }

    @Override
    public void reply(String replyId, Reply reply) {}

    @Override
    public void close(String reason) {}
  }

  /** Encodes every event into a pooled buffer and releases it, as the native door would. */
  static final class EncodingSink implements EventSink {
    long bytes;

    @Override
    public void event(Event event, String replyId) {
      Frame frame = NativeFrames.event(event, replyId);
      ByteBuf buf = FrameEncoder.encode(PooledByteBufAllocator.DEFAULT, frame.header(),
          frame.content());
      bytes += buf.readableBytes();
      buf.release();
    }

    @Override
    public void reply(String replyId, Reply reply) {}

    @Override
    public void close(String reason) {}
  }

  private static Session[] room(Hub hub, int members, java.util.function.Supplier<EventSink> sinks) {
    Session[] sessions = new Session[members];
    for (int i = 0; i < members; i++) {
      sessions[i] = hub.open(sinks.get(), "bench");
      hub.handle(sessions[i], "1", new Command.Hello(null));
      hub.handle(sessions[i], "2", new Command.Leave(CoreLimits.DEFAULT.defaultRoom(), null));
      hub.handle(sessions[i], "3", new Command.Join("bench"));
    }
    return sessions;
  }

  @Setup(Level.Trial)
  public void setUp() {
    countingHub = new Hub(CoreLimits.DEFAULT, Clock.systemUTC());
    countingSender = room(countingHub, members, CountingSink::new)[0];
    encodingHub = new Hub(CoreLimits.DEFAULT, Clock.systemUTC());
    encodingSender = room(encodingHub, members, EncodingSink::new)[0];
    sharedHub = new Hub(CoreLimits.DEFAULT, Clock.systemUTC());
    EncodedEvents cache = EncodedEvents.newCache();
    sharedSender = room(sharedHub, members, () -> new SharedEncodingSink(cache))[0];
    String text = "x".repeat(100);
    say = new Command.SayToRoom("bench", MessageKind.TEXT, text);
    event = new Event.RoomMessage("bench", "m1a2b3c4d5e6", 42, 1763721047000L, "Guest_123",
        MessageKind.TEXT, text);
  }

  /** Hub fan-out to N counting sinks: sequence, ids, membership, the loop over members. */
  @Benchmark
  public void hubFanOut() {
    countingHub.handle(countingSender, "7", say);
  }

  /**
   * Encodes once per event and hands each member a retained duplicate (the native door since
   * the shared encoding), which the member then releases as its channel would after writing.
   */
  static final class SharedEncodingSink implements EventSink {
    private final EncodedEvents cache;
    long bytes;

    SharedEncodingSink(EncodedEvents cache) {
      this.cache = cache;
    }

    @Override
    public void event(Event event, String replyId) {
      ByteBuf buf = replyId == null
          ? cache.shared(PooledByteBufAllocator.DEFAULT, event)
          : EncodedEvents.encode(PooledByteBufAllocator.DEFAULT, event, replyId);
      bytes += buf.readableBytes();
      buf.release();
    }

    @Override
    public void reply(String replyId, Reply reply) {}

    @Override
    public void close(String reason) {}
  }

  private Hub sharedHub;
  private Session sharedSender;

  /** Hub fan-out to N sinks sharing one encoding per event. */
  @Benchmark
  public void hubFanOutSharedEncode() {
    sharedHub.handle(sharedSender, "7", say);
  }

  /** Hub fan-out to N sinks that each build and encode the native frame. */
  @Benchmark
  public void hubFanOutNativeEncode() {
    encodingHub.handle(encodingSender, "7", say);
  }

  /** The native encoding of one event for one member: frame, header tree, JSON, buffer. */
  @Benchmark
  public int nativeEncodeEvent() {
    Frame frame = NativeFrames.event(event, null);
    ByteBuf buf = FrameEncoder.encode(PooledByteBufAllocator.DEFAULT, frame.header(),
        frame.content());
    int n = buf.readableBytes();
    buf.release();
    return n;
  }
}
