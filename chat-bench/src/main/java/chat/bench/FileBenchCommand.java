package chat.bench;

import chat.client.ChatClient;
import chat.client.ClientOptions;
import chat.client.FileTransfers;
import chat.protocol.Frame;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chat bench-files}: upload and download throughput of files through a running server,
 * and the chat latency another member sees while a large upload goes on. See docs/BENCHMARKS.md.
 */
@Command(
    name = "bench-files",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Uploads a file of each --size through the server's native door, downloads it again,"
          + " and reports MB/s for both; during each upload a second client chats in the same"
          + " room at --chat-rate and a third measures the latency of those lines.",
      "The server must allow the sizes (--max-file-size) and enough uploads (--files-per-minute)."
          + " Loopback targets only."
    })
public final class FileBenchCommand implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--port", defaultValue = "7667", description = "Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--size", split = ",", defaultValue = "1,200", paramLabel = "MIB",
      description = "File sizes in MiB, comma-separated. Default: ${DEFAULT-VALUE}.")
  List<Integer> sizes;

  @Option(names = "--repeat", defaultValue = "3", description = "Runs per size; the median is"
      + " reported. Default: ${DEFAULT-VALUE}.")
  int repeat;

  @Option(names = "--chat-rate", defaultValue = "20", paramLabel = "MSG/S",
      description = "Lines per second the other member sends during uploads. Default: ${DEFAULT-VALUE}.")
  int chatRate;

  @Option(names = "--dir", description = "Where the test files go (default: a temporary directory).")
  Path dir;

  @Option(names = "--http-port", defaultValue = "0", description = "The web door's port: also"
      + " download each file over HTTP through a signed link (0: not over HTTP).")
  int httpPort;

  @Override
  public Integer call() throws Exception {
    if (!InetAddress.getByName(host).isLoopbackAddress()) {
      System.err.println("bench-files only sends to loopback addresses");
      return 2;
    }
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("chat-bench-files");
    ClientOptions base = ClientOptions.of(host, port, null); // loopback: plaintext
    String room = "bench-files-" + Long.toString(System.nanoTime() % 100000, 36);
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    List<Long> duringUploads = Collections.synchronizedList(new ArrayList<>());
    List<Long> duringDownloads = Collections.synchronizedList(new ArrayList<>());
    Map<String, List<Long>> phaseOf = new ConcurrentHashMap<>();
    long[] worst = {0, 0}; // latency, send time
    try (ChatClient uploader = ChatClient.connect(base.withLogin("uploader" + suffix(), null), f -> { });
         ChatClient downloader = ChatClient.connect(base.withLogin("downloader" + suffix(), null),
             f -> { });
         ChatClient talker = ChatClient.connect(base.withLogin("talker" + suffix(), null), f -> { });
         ChatClient listener = ChatClient.connect(base.withLogin("listener" + suffix(), null), f -> {
           Long at = "message".equals(f.type()) ? sentAt.remove(f.contentAsText()) : null;
           if (at != null) {
             long latency = System.nanoTime() - at;
             phaseOf.remove(f.contentAsText()).add(latency);
             synchronized (worst) {
               if (latency > worst[0]) {
                 worst[0] = latency;
                 worst[1] = at;
               }
             }
           }
         })) {
      for (ChatClient c : List.of(uploader, downloader, talker, listener)) {
        c.join(room).get(10, TimeUnit.SECONDS);
      }
      System.out.printf("%-8s %-12s %-14s %-10s %-34s %s%n", "size", "upload MB/s",
          "download MB/s", "HTTP MB/s", "chat during upload p50/p99/max ms",
          "chat during native download p50/p99/max ms");
      for (int mib : sizes) {
        Path file = work.resolve("bench-" + mib + ".bin");
        write(file, mib * 1024L * 1024);
        List<Double> ups = new ArrayList<>();
        List<Double> downs = new ArrayList<>();
        List<Double> https = new ArrayList<>();
        duringUploads.clear();
        duringDownloads.clear();
        worst[0] = 0;
        List<long[]> uploadsAt = new ArrayList<>();
        for (int run = 0; run < repeat; run++) {
          long start = System.nanoTime();
          CompletableFuture<Frame> up = FileTransfers.upload(uploader, room, null, file,
              "application/octet-stream", null, FileTransfers.Progress.NONE);
          chatDuring(up, talker, room, "up " + run, sentAt, phaseOf, duringUploads);
          Frame shared = up.get();
          uploadsAt.add(new long[] {start, System.nanoTime()});
          ups.add(mbPerSecond(Files.size(file), System.nanoTime() - start));
          Thread.sleep(1000); // the last lines of the upload's phase arrive
          Path into = Files.createDirectories(work.resolve("down-" + run));
          start = System.nanoTime();
          CompletableFuture<Path> down = FileTransfers.download(downloader, shared.string("file"),
              into, null, FileTransfers.Progress.NONE);
          chatDuring(down, talker, room, "down " + run, sentAt, phaseOf, duringDownloads);
          Path got = down.get(30, TimeUnit.MINUTES);
          downs.add(mbPerSecond(Files.size(file), System.nanoTime() - start));
          Files.delete(got);
          if (httpPort > 0) {
            https.add(httpDownload(downloader, shared.string("file"), Files.size(file)));
          }
        }
        Thread.sleep(1000); // the last lines arrive
        System.out.printf("%-8s %-12.0f %-14.0f %-10s %-34s %s%n", mib + " MiB", median(ups),
            median(downs), https.isEmpty() ? "-" : String.format("%.0f", median(https)),
            latencies(duringUploads), latencies(duringDownloads));
        for (long[] u : uploadsAt) {
          if (worst[0] > 0 && worst[1] >= u[0] && worst[1] <= u[1]) {
            System.out.printf("         the slowest line was sent %.2f s into a %.2f s upload%n",
                (worst[1] - u[0]) / 1e9, (u[1] - u[0]) / 1e9);
          }
        }
        Files.delete(file);
      }
    }
    return 0;
  }

  /** The talker says a line every 1/--chat-rate s while {@code work} runs. */
  private void chatDuring(CompletableFuture<?> work, ChatClient talker, String room, String tag,
      Map<String, Long> sentAt, Map<String, List<Long>> phaseOf, List<Long> phase)
      throws InterruptedException {
    long period = 1_000_000_000L / Math.max(1, chatRate);
    long next = System.nanoTime();
    int line = 0;
    while (!work.isDone() && chatRate > 0) {
      if (System.nanoTime() >= next) {
        String text = "bench line " + tag + " " + line++;
        phaseOf.put(text, phase);
        sentAt.put(text, System.nanoTime());
        talker.say(room, text);
        next += period;
      }
      Thread.sleep(1);
    }
  }

  private static String latencies(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.isEmpty() ? "-" : String.format("%.1f / %.1f / %.1f (%d)", ms(pct(sorted, 50)),
        ms(pct(sorted, 99)), ms(sorted.getLast()), sorted.size());
  }

  /** Fetches the file over HTTP through a signed link; MB/s. */
  private double httpDownload(ChatClient client, String fileId, long size) throws Exception {
    tools.jackson.databind.node.ObjectNode header = chat.protocol.Json.header("link");
    header.put("file", fileId);
    Frame link = client.request(header, null).get(10, TimeUnit.SECONDS);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://" + host + ":" + httpPort + link.string("url"))).build();
    long start = System.nanoTime();
    java.net.http.HttpResponse<java.io.InputStream> response = http.send(request,
        java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    long read = 0;
    try (java.io.InputStream in = response.body()) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        read += n;
      }
    }
    if (response.statusCode() != 200 || read != size) {
      throw new IllegalStateException("HTTP download: status " + response.statusCode() + ", "
          + read + " of " + size + " bytes");
    }
    return mbPerSecond(read, System.nanoTime() - start);
  }

  private static String suffix() {
    return Integer.toString(new Random().nextInt(1 << 20), 36);
  }

  private static void write(Path file, long size) throws Exception {
    Random random = new Random(size);
    byte[] block = new byte[1 << 20];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      for (long at = 0; at < size; at += block.length) {
        random.nextBytes(block);
        channel.write(java.nio.ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - at)));
      }
      channel.force(true); // written out before the upload reads it: no writeback during the run
    }
  }

  private static double mbPerSecond(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static long pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
