package chat.client.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.client.ChatClient;
import chat.client.ClientListener;
import chat.client.ClientOptions;
import chat.client.FileTransfers;
import chat.core.store.MemoryFileStore;
import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.web.WebConfig;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Files in the web client, in headless Chromium against a real server on 127.0.0.1: an image
 * shared with the Attach button shows as a thumbnail on both pages, a pasted image and a dropped
 * file too, a large upload shows its progress while chat goes on, and a terminal user's file
 * appears as a download link.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserFilesTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  private final MemoryStore store = new MemoryStore();
  private ChatServer server;
  private int webPort;
  private final List<WebDriver> browsers = new ArrayList<>();
  private final List<Path> temps = new ArrayList<>();
  private WebDriver alice;
  private WebDriver bob;
  private Path dir;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(Files.isExecutable(BrowserChatTest.CHROMIUM)
        && Files.isExecutable(BrowserChatTest.CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withPingInterval(Duration.ofSeconds(5)), Clock.systemUTC(), store, store,
        new chat.server.Argon2Hasher(8 * 1024, 1, 1), new MemoryFileStore())
        .withWeb(WebConfig.on("127.0.0.1", 0))
        .start();
    webPort = server.webAddress().getPort();
    dir = Files.createTempDirectory("chat-files");
    temps.add(dir);
    alice = browser();
    bob = browser();
  }

  private WebDriver browser() throws Exception {
    Path profile = Files.createTempDirectory("chat-chromium");
    temps.add(profile);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BrowserChatTest.CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
        "--window-size=1100,760");
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(BrowserChatTest.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    WebDriver driver = new ChromeDriver(service, options);
    browsers.add(driver);
    return driver;
  }

  @AfterAll
  void stop() throws Exception {
    for (WebDriver b : browsers) {
      try {
        b.manage().logs().get(LogType.BROWSER).forEach(e -> System.out.println("browser: " + e));
      } catch (RuntimeException ignored) {
        // no logs
      }
      b.quit();
    }
    if (server != null) {
      server.close();
    }
    for (Path p : temps) {
      try (var walk = Files.walk(p)) {
        walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private WebDriverWait waitFor(WebDriver b) {
    return new WebDriverWait(b, WAIT);
  }

  private void login(WebDriver b, String nick) {
    b.get("http://127.0.0.1:" + webPort + "/");
    waitFor(b).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-nick")));
    b.findElement(By.id("login-nick")).sendKeys(nick);
    b.findElement(By.id("login-connect")).click();
    waitFor(b).until(ExpectedConditions.visibilityOfElementLocated(By.id("composer-input")));
    waitFor(b).until(d -> d.findElement(By.id("member-list")).getDomProperty("textContent")
        .contains(nick));
  }

  private static Object js(WebDriver b, String script, Object... args) {
    return ((JavascriptExecutor) b).executeScript(script, args);
  }

  private static Object asyncJs(WebDriver b, String script, Object... args) {
    return ((JavascriptExecutor) b).executeAsyncScript(script, args);
  }

  /** Whether the page shows a loaded thumbnail of {@code name}. */
  private static boolean thumbnailShown(WebDriver b, String name) {
    return Boolean.TRUE.equals(js(b, "return [...document.querySelectorAll('#log img.thumb')]"
        + ".some(i => i.alt === arguments[0] && i.complete && i.naturalWidth > 0)", name));
  }

  private static String fileLinkHref(WebDriver b, String name) {
    return (String) js(b, "const a = [...document.querySelectorAll('#log a.file-link')]"
        + ".find(a => a.textContent === arguments[0]); return a ? a.getAttribute('href') : null",
        name);
  }

  /** The text of the file message naming {@code name}: its name, size and type. */
  private static String fileText(WebDriver b, String name) {
    return (String) js(b, "const f = [...document.querySelectorAll('#log .file')]"
        + ".find(f => f.querySelector('.file-link').textContent === arguments[0]);"
        + " return f ? f.textContent : null", name);
  }

  private Path picture(String name, int width, int height) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(0x2f6fde), width, height, new Color(0xf0b429)));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.WHITE);
    g.fillOval(width / 8, height / 6, width / 3, width / 3);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, height / 6));
    g.drawString("chat", width / 2, height * 2 / 3);
    g.dispose();
    Path file = dir.resolve(name);
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  private HttpResponse<byte[]> fetch(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + webPort + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  @Order(1)
  void anImageSharedWithTheButtonIsAThumbnailOnBothPages() throws Exception {
    System.setProperty("java.awt.headless", "true");
    login(alice, "alice");
    login(bob, "bob");
    Path png = picture("sunrise.png", 640, 400);

    alice.findElement(By.id("file-input")).sendKeys(png.toString());

    waitFor(bob).until(d -> thumbnailShown(d, "sunrise.png"));
    waitFor(alice).until(d -> thumbnailShown(d, "sunrise.png"));
    WebElement open = bob.findElement(By.cssSelector("#log a.thumb-link"));
    assertThat(open.getDomAttribute("target")).isEqualTo("_blank");
    String href = open.getDomAttribute("href");
    assertThat(href).startsWith("/files/").contains("/sunrise.png?e=");
    // The thumbnail is kept small by the style sheet, whatever the picture's size.
    Number shownWidth = (Number) js(bob, "return document.querySelector('#log img.thumb')"
        + ".getBoundingClientRect().width");
    assertThat(shownWidth.doubleValue()).isLessThanOrEqualTo(320.5).isGreaterThan(50);
    // The full-size link serves the picture inline, checked.
    HttpResponse<byte[]> full = fetch(href);
    assertThat(full.headers().firstValue("content-disposition").orElseThrow()).startsWith("inline");
    assertThat(full.body()).isEqualTo(Files.readAllBytes(png));
    String caption = bob.findElement(By.cssSelector("#log .file .file-meta")).getText();
    assertThat(caption).matches("\\d+(\\.\\d)? [KM]B, image/png");
  }

  @Test
  @Order(2)
  void aPastedImageAndADroppedFileAreSharedToo() throws Exception {
    // A paste as the browser makes it: a ClipboardEvent whose data holds an image file.
    js(alice, """
        const canvas = document.createElement('canvas');
        canvas.width = 200; canvas.height = 120;
        const g = canvas.getContext('2d');
        g.fillStyle = '#15803d'; g.fillRect(0, 0, 200, 120);
        g.fillStyle = '#ffffff'; g.fillRect(20, 20, 60, 60);
        canvas.toBlob((blob) => {
          const data = new DataTransfer();
          data.items.add(new File([blob], 'image.png', { type: 'image/png' }));
          document.getElementById('composer-input').dispatchEvent(
            new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        }, 'image/png');
        """);
    waitFor(bob).until(d -> Boolean.TRUE.equals(js(d, "return [...document.querySelectorAll("
        + "'#log img.thumb')].some(i => /^pasted-\\d{8}-\\d{6}\\.png$/.test(i.alt) && i.complete"
        + " && i.naturalWidth === 200)")));

    // A drop on the messages, with a text file in it.
    js(alice, """
        const data = new DataTransfer();
        data.items.add(new File(['minutes of the meeting\\n'], 'minutes.txt', { type: 'text/plain' }));
        const log = document.getElementById('log');
        log.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
        log.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        """);
    waitFor(bob).until(d -> fileLinkHref(d, "minutes.txt") != null);
    HttpResponse<byte[]> got = fetch(fileLinkHref(bob, "minutes.txt"));
    assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("minutes of the meeting\n");
    assertThat(got.headers().firstValue("content-disposition").orElseThrow())
        .startsWith("attachment");
    assertThat(js(bob, "return document.querySelector('#log a.file-link[download]').download"))
        .isNotNull();
  }

  @Test
  @Order(3)
  void aLargeUploadShowsItsProgressWhileChatGoesOn() throws Exception {
    byte[] data = new byte[40 * 1024 * 1024];
    new Random(7).nextBytes(data);
    Path big = dir.resolve("dataset.bin");
    Files.write(big, data);
    int before = bob.findElements(By.cssSelector("#log .entry.msg")).size();

    long started = System.nanoTime();
    alice.findElement(By.id("file-input")).sendKeys(big.toString());
    waitFor(alice).until(d -> d.findElement(By.id("uploads")).getText().contains("sending"));
    long hashed = (System.nanoTime() - started) / 1_000_000;
    screenshot(alice, "browser-files-uploading.png");
    alice.findElement(By.id("composer-input")).sendKeys("still chatting while it uploads",
        Keys.ENTER);
    waitFor(bob).until(d -> d.findElement(By.id("log")).getText()
        .contains("still chatting while it uploads"));
    boolean fileNotYetThere = fileLinkHref(bob, "dataset.bin") == null;
    Number progress = (Number) js(alice, "const p = document.querySelector('#uploads progress');"
        + " return p ? p.value : -1");
    waitFor(bob).until(d -> fileLinkHref(d, "dataset.bin") != null);
    long ms = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("browser upload: 40 MiB in %d ms (%.1f MiB/s; hashed, announced after %d"
        + " ms), chat passed at %.0f%%%n", ms, 40 * 1024 * 1000.0 / 1024 / ms, hashed,
        progress.doubleValue() * 100);
    assertThat(fileNotYetThere).as("the chat line overtook the upload").isTrue();
    assertThat(progress.doubleValue()).isBetween(0.0, 1.0);
    waitFor(alice).until(d -> d.findElement(By.id("uploads")).getDomProperty("hidden")
        .equals("true"));
    List<String> texts = bob.findElements(By.cssSelector("#log .entry.msg")).stream()
        .skip(before).map(e -> e.getDomProperty("textContent")).toList();
    assertThat(String.join("\n", texts)).contains("still chatting while it uploads")
        .contains("dataset.bin");
    assertThat(fileText(bob, "dataset.bin")).isEqualTo("dataset.bin 42 MB, application/octet-stream");
  }

  @Test
  @Order(4)
  void aTerminalUsersFileIsADownloadLinkAndTheHashInPiecesMatchesTheBrowsers() throws Exception {
    List<Frame> seen = new CopyOnWriteArrayList<>();
    try (ChatClient carol = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(),
        "carol"), (ClientListener) seen::add)) {
      carol.join("lobby").get(10, TimeUnit.SECONDS);
      Path report = dir.resolve("report.pdf");
      Files.writeString(report, "%PDF-1.4 not really\n");
      FileTransfers.upload(carol, "lobby", null, report, "application/pdf", null,
          FileTransfers.Progress.NONE).get(30, TimeUnit.SECONDS);
      waitFor(bob).until(d -> fileLinkHref(d, "report.pdf") != null);
      assertThat(fileText(bob, "report.pdf")).isEqualTo("report.pdf 20 B, application/pdf");
    }
    // The page's own SHA-256 (in pieces, for large files) against crypto.subtle, and its speed.
    Object result = asyncJs(bob, """
        const done = arguments[arguments.length - 1];
        import('/sha256.js').then(async ({ Sha256 }) => {
          const data = new Uint8Array(32 * 1024 * 1024);
          for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
          const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
          const want = hex(await crypto.subtle.digest('SHA-256', data));
          const t0 = performance.now();
          const s = new Sha256();
          for (let i = 0; i < data.length; i += 1000003) s.update(data.subarray(i, i + 1000003));
          const got = s.hex();
          const ms = performance.now() - t0;
          let small = true;
          for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
            const b = data.slice(0, n);
            small = small && new Sha256().update(b).hex() === hex(await crypto.subtle.digest('SHA-256', b));
          }
          done({ match: got === want && small, ms: Math.round(ms) });
        }, (e) => done({ error: String(e) }));
        """);
    @SuppressWarnings("unchecked")
    Map<String, Object> r = (Map<String, Object>) result;
    assertThat(r).containsEntry("match", true);
    System.out.printf("browser SHA-256 in pieces: 32 MiB in %s ms%n", r.get("ms"));

    screenshot(bob, "browser-files.png");
    screenshot(alice, "browser-files-alice.png");
  }

  private void screenshot(WebDriver b, String name) throws Exception {
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    File shot = ((TakesScreenshot) b).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }
}
