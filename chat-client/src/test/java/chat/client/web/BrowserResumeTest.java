package chat.client.web;

import chat.client.ChatClient;
import chat.client.ClientListener;
import chat.client.ClientOptions;
import chat.client.TcpProxy;
import chat.core.CoreLimits;
import chat.core.store.MemoryStore;
import chat.protocol.Frame;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.web.WebConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;


/**
 * The web client's WebSocket is cut under it (a TCP proxy between the page and the web door
 * resets every connection) while a terminal-protocol user keeps sending: after its reconnect
 * the page shows every message exactly once, in the room's order.
 */
class BrowserResumeTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final MemoryStore store = new MemoryStore();
  private ChatServer server;
  private TcpProxy proxy;
  private WebDriver browser;
  private Path profile;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Files.isExecutable(BrowserChatTest.CHROMIUM)
        && Files.isExecutable(BrowserChatTest.CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    int[] webPort = {0};
    proxy = new TcpProxy(() -> webPort[0]);
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(CoreLimits.DEFAULT.withHistoryOnJoin(5)), Clock.systemUTC(), store)
        .withWeb(WebConfig.on("127.0.0.1", 0)
            .withOrigins(List.of("http://127.0.0.1:" + proxy.port())))
        .start();
    webPort[0] = server.webAddress().getPort();
    profile = Files.createTempDirectory("chat-chromium");
    browser = Chromium.start(profile, 1280, 800);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (profile != null) {
      try (var walk = Files.walk(profile)) {
        walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private static List<String> messages(WebDriver b) {
    return b.findElements(By.cssSelector("#log .entry.msg .text")).stream()
        .map(e -> e.getDomProperty("textContent")).toList();
  }

  @Test
  void aWebSocketCutUnderThePageLosesNothingAndShowsNothingTwice() throws Exception {
    browser.get("http://127.0.0.1:" + proxy.port() + "/");
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-nick")));
    browser.findElement(By.id("login-nick")).sendKeys("amy");
    browser.findElement(By.id("login-connect")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("composer-input")));
    wait.until(d -> "amy".equals(d.findElement(By.id("me")).getDomProperty("textContent")));

    List<String> sent = new ArrayList<>();
    List<Frame> senderSaw = new CopyOnWriteArrayList<>();
    try (ChatClient sender = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(),
        "sender"), (ClientListener) senderSaw::add)) {
      for (int i = 1; i <= 40; i++) {
        sent.add("burst " + i);
        sender.say("lobby", "burst " + i).get(10, TimeUnit.SECONDS);
        if (i == 10) {
          wait.until(d -> messages(d).size() >= 10);
          proxy.cut(); // the page's WebSocket is reset mid-burst; 30 more come while it is away
        }
      }
      wait.until(d -> messages(d).size() >= 40);
      wait.until(d -> d.findElement(By.id("status")).getText().isEmpty());
      sender.say("lobby", "after").get(10, TimeUnit.SECONDS);
      sent.add("after");
      wait.until(d -> messages(d).contains("after"));
    }
    assertThat(messages(browser)).as("every message once, in order").containsExactlyElementsOf(sent);
    assertThat(browser.findElement(By.id("me")).getDomProperty("textContent"))
        .as("the guest came back with its token: the same nick").isEqualTo("amy");
    assertThat(senderSaw).as("nobody saw the guest leave and come back")
        .noneMatch(f -> ("quit".equals(f.type()) || "joined".equals(f.type()))
            && "amy".equals(f.string("nick")));
    assertThat(proxy.connections()).as("the page came back through the proxy").isPositive();
    Path shot = Path.of("target", "web-client-resume.png");
    Files.createDirectories(shot.getParent());
    Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shot,
        StandardCopyOption.REPLACE_EXISTING);
  }
}
