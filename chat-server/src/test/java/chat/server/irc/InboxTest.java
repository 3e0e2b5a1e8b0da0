package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The IRC connection's inbox: many threads offer, one takes, nothing lost or reordered. */
class InboxTest {

  @Test
  void itemsComeOutInOrderAndTheStubKeepsNothing() {
    Inbox inbox = new Inbox();
    assertThat(inbox.poll()).isNull();
    inbox.offer(new Inbox.Item("a", "1"));
    inbox.offer(new Inbox.Item("b", null, 42));
    Inbox.Item first = inbox.poll();
    assertThat(first.what()).isEqualTo("a");
    assertThat(first.id()).isEqualTo("1");
    first.clear();
    assertThat(first.what()).isNull();
    Inbox.Item second = inbox.poll();
    assertThat(second.what()).isEqualTo("b");
    assertThat(second.bytes()).isEqualTo(42);
    assertThat(inbox.poll()).isNull();
    inbox.offer(new Inbox.Item("c", null));
    assertThat(inbox.poll().what()).isEqualTo("c");
  }

  @Test
  void aTakenItemNoLongerLinksTheNextSoAnOldOneKeepsNoYoungOnesAlive() throws Exception {
    Inbox inbox = new Inbox();
    inbox.offer(new Inbox.Item("a", null));
    inbox.offer(new Inbox.Item("b", null));
    inbox.offer(new Inbox.Item("c", null));
    Inbox.Item a = inbox.poll();
    assertThat(next(a)).isNotNull(); // still the inbox's stub: b follows
    Inbox.Item b = inbox.poll();
    assertThat(next(a)).isNull();
    assertThat(inbox.poll().what()).isEqualTo("c");
    assertThat(next(b)).isNull();
  }

  private static Object next(Inbox.Item item) throws Exception {
    java.lang.reflect.Field field = Inbox.Item.class.getDeclaredField("next");
    field.setAccessible(true);
    return field.get(item);
  }

  @Test
  void fourProducersAndOneConsumerLoseNothingAndKeepEachProducersOrder() throws Exception {
    Inbox inbox = new Inbox();
    int producers = 4;
    int each = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          inbox.offer(new Inbox.Item(new int[] {producer, i}, null));
        }
      });
      t.start();
      threads.add(t);
    }
    start.countDown();
    int[] next = new int[producers];
    int taken = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (taken < producers * each && System.nanoTime() < deadline) {
      Inbox.Item item = inbox.poll();
      if (item == null) {
        Thread.onSpinWait();
        continue;
      }
      int[] v = (int[]) item.what();
      assertThat(v[1]).as("producer %d in order", v[0]).isEqualTo(next[v[0]]);
      next[v[0]]++;
      item.clear();
      taken++;
    }
    for (Thread t : threads) {
      t.join(10_000);
    }
    assertThat(taken).isEqualTo(producers * each);
    assertThat(inbox.poll()).isNull();
  }
}
