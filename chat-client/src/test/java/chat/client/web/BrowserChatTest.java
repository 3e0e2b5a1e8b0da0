package chat.client.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.client.ChatClient;
import chat.client.ClientListener;
import chat.client.ClientOptions;
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
import org.junit.jupiter.api.BeforeAll;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web client in headless Chromium (Debian's chromium and chromedriver), against a real
 * server on 127.0.0.1: two browser users and one library user share a room. The tests build on
 * each other in order (logged in, then chatting, then moderation, then a server restart), so
 * the browsers start once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserChatTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>";

  private final MemoryStore store = new MemoryStore();
  private final CoreLimits limits = CoreLimits.DEFAULT.withHistoryOnJoin(2);
  private ChatServer server;
  private int nativePort;
  private int webPort;
  private final List<WebDriver> browsers = new ArrayList<>();
  private final List<Path> profiles = new ArrayList<>();
  private WebDriver alice;
  private WebDriver bob;
  private ChatClient carol;
  private final List<Frame> carolSaw = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    server = startServer(0, 0);
    nativePort = server.port();
    webPort = server.webAddress().getPort();
    alice = browser(1280, 800);
    bob = browser(1280, 800);
  }

  private ChatServer startServer(int nativePort, int webPort) throws InterruptedException {
    return new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", nativePort)
        .withCoreLimits(limits).withPingInterval(Duration.ofSeconds(5)), Clock.systemUTC(), store,
        store, new chat.server.Argon2Hasher())
        .withWeb(WebConfig.on("127.0.0.1", webPort))
        .start();
  }

  private WebDriver browser(int width, int height) throws Exception {
    Path profile = Files.createTempDirectory("chat-chromium");
    profiles.add(profile);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height);
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    WebDriver driver = new ChromeDriver(service, options);
    browsers.add(driver);
    return driver;
  }

  @AfterAll
  void stop() throws Exception {
    for (WebDriver b : browsers) {
      b.quit();
    }
    if (carol != null) {
      carol.close();
    }
    if (server != null) {
      server.close();
    }
    for (Path p : profiles) {
      try (var walk = Files.walk(p)) {
        walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private WebDriverWait waitFor(WebDriver b) {
    return new WebDriverWait(b, WAIT);
  }

  private void login(WebDriver b, String nick) {
    b.get("http://127.0.0.1:" + webPort + "/");
    waitFor(b).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-nick")));
    b.findElement(By.id("login-nick")).sendKeys(nick);
    b.findElement(By.id("login-connect")).click();
    waitFor(b).until(ExpectedConditions.visibilityOfElementLocated(By.id("composer-input")));
    waitFor(b).until(d -> nick.equals(d.findElement(By.id("me")).getDomProperty("textContent")));
    waitFor(b).until(d -> d.findElement(By.id("member-list")).getDomProperty("textContent")
        .contains(nick));
  }

  private void type(WebDriver b, CharSequence... keys) {
    WebElement input = b.findElement(By.id("composer-input"));
    input.sendKeys(keys);
  }

  /** The texts of the messages in the log, in page order. */
  private static List<String> messages(WebDriver b) {
    return b.findElements(By.cssSelector("#log .entry.msg .text")).stream()
        .map(e -> e.getDomProperty("textContent")).toList();
  }

  private List<String> waitForMessages(WebDriver b, int count) {
    waitFor(b).until(d -> messages(d).size() >= count);
    return messages(b);
  }

  private List<String> carolMessages(String room) {
    return carolSaw.stream()
        .filter(f -> "message".equals(f.type()) && room.equals(f.string("room")))
        .map(Frame::contentAsText).toList();
  }

  private void screenshot(WebDriver b, String name) throws Exception {
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    File shot = ((TakesScreenshot) b).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  private void selectConversation(WebDriver b, String label) {
    waitFor(b).until(d -> d.findElements(By.cssSelector(".conversation-button")).stream()
        .anyMatch(e -> e.getText().startsWith(label)));
    b.findElements(By.cssSelector(".conversation-button")).stream()
        .filter(e -> e.getText().startsWith(label)).findFirst().orElseThrow().click();
    waitFor(b).until(d -> label.equals(d.findElement(By.id("title")).getText()));
  }

  // ---------------------------------------------------------------- tests

  @Test
  @Order(1)
  void twoBrowsersAndATerminalUserSeeOneRoomInOneOrder() throws Exception {
    login(alice, "alice");
    login(bob, "bob");
    carol = ChatClient.connect(ClientOptions.of("127.0.0.1", nativePort, "carol"),
        (ClientListener) carolSaw::add);
    waitFor(alice).until(d -> d.findElement(By.id("member-list")).getText().contains("carol"));

    type(alice, "hello from alice", Keys.ENTER);
    waitForMessages(bob, 1);
    carol.say("lobby", "hi alice, from the terminal").get(10, TimeUnit.SECONDS);
    waitForMessages(bob, 2);
    type(bob, XSS, Keys.ENTER);
    waitForMessages(alice, 3);
    type(alice, "two lines:", Keys.chord(Keys.SHIFT, Keys.ENTER), "second line", Keys.ENTER);

    List<String> expected = List.of("hello from alice", "hi alice, from the terminal", XSS,
        "two lines:\nsecond line");
    assertThat(waitForMessages(alice, 4)).containsExactlyElementsOf(expected);
    assertThat(waitForMessages(bob, 4)).containsExactlyElementsOf(expected);
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> carolMessages("lobby").size() >= 4);
    assertThat(carolMessages("lobby")).containsExactlyElementsOf(expected);

    // carol's message names alice: highlighted on alice's page, not on bob's.
    assertThat(alice.findElements(By.cssSelector("#log .entry.msg.mention .text")))
        .extracting(e -> e.getDomProperty("textContent"))
        .containsExactly("hi alice, from the terminal");
    assertThat(bob.findElements(By.cssSelector("#log .entry.msg.mention"))).isEmpty();
    screenshot(alice, "web-client.png");
  }

  @Test
  @Order(2)
  void markupInAMessageIsShownAsTextAndNeverRuns() {
    for (WebDriver b : List.of(alice, bob)) {
      assertThat(b.findElements(By.cssSelector("#log img, #log script"))).isEmpty();
      assertThatThrownBy(() -> b.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
      WebElement shown = b.findElements(By.cssSelector("#log .entry.msg .text")).stream()
          .filter(e -> XSS.equals(e.getDomProperty("textContent"))).findFirst().orElseThrow();
      assertThat(shown.getText()).isEqualTo(XSS);
      assertThat(shown.getDomProperty("innerHTML")).contains("&lt;img");
      // Nothing broke or was blocked: no script errors, no Content-Security-Policy violations.
      assertThat(b.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll())
          .filteredOn(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
          .isEmpty();
    }
  }

  @Test
  @Order(3)
  void privateMessagesGetAConversationWithAnUnreadCount() throws Exception {
    carol.privmsg("alice", "psst, alice").get(10, TimeUnit.SECONDS);
    waitFor(alice).until(d -> d.findElement(By.id("privates")).getText().contains("carol"));
    WebElement badge = alice.findElement(By.cssSelector("#privates .unread"));
    assertThat(badge.getText()).isEqualTo("1");
    selectConversation(alice, "carol");
    assertThat(waitForMessages(alice, 1)).containsExactly("psst, alice");
    type(alice, "hi carol", Keys.ENTER);
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> carolSaw.stream()
        .anyMatch(f -> "privmsg".equals(f.type()) && "hi carol".equals(f.contentAsText())));
    assertThat(alice.findElements(By.cssSelector("#privates .unread"))).isEmpty();
  }

  @Test
  @Order(4)
  void commandsJoinSetTheTopicAndOperatorsModerateFromTheMemberMenu() {
    type(alice, "/join dev", Keys.ENTER);
    waitFor(alice).until(d -> "#dev".equals(d.findElement(By.id("title")).getText()));
    type(alice, "/topic release on friday", Keys.ENTER);
    waitFor(alice).until(d -> "release on friday".equals(d.findElement(By.id("topic")).getText()));

    bob.findElement(By.id("join-input")).sendKeys("dev", Keys.ENTER);
    waitFor(bob).until(d -> "#dev".equals(d.findElement(By.id("title")).getText()));
    assertThat(bob.findElement(By.id("topic")).getText()).isEqualTo("release on friday");
    waitFor(alice).until(d -> d.findElement(By.id("member-list")).getText().contains("bob"));
    assertThat(alice.findElement(By.id("member-list")).getText()).contains("@alice");

    // alice is the room's operator: bob's entry opens a menu with Kick.
    WebElement bobEntry = alice.findElements(By.cssSelector("#member-list .member")).stream()
        .filter(e -> e.getText().equals("bob")).findFirst().orElseThrow();
    bobEntry.click();
    waitFor(alice).until(ExpectedConditions.visibilityOfElementLocated(By.id("menu")));
    WebElement kick = alice.findElements(By.cssSelector("#menu [role=menuitem]")).stream()
        .filter(e -> e.getText().equals("Kick")).findFirst().orElseThrow();
    assertThat(alice.switchTo().activeElement().getText()).isEqualTo("Message privately");
    kick.click();
    waitFor(bob).until(d -> d.findElement(By.id("log")).getText()
        .contains("you were removed from #dev by alice"));
    waitFor(alice).until(d -> !d.findElement(By.id("member-list")).getText().contains("bob"));

    // Unknown commands are explained, not sent.
    type(alice, "/frobnicate", Keys.ENTER);
    waitFor(alice).until(d -> d.findElement(By.id("log")).getText()
        .contains("unknown command /frobnicate"));
  }

  @Test
  @Order(5)
  void afterTheServerRestartsTheBrowserRejoinsAndFetchesWhatItMissed() throws Exception {
    selectConversation(alice, "#lobby");
    int before = messages(alice).size();
    carol.close();
    server.close();
    waitFor(alice).until(d -> d.findElement(By.id("status")).getText().contains("reconnecting"));
    // While the web door is away, five messages are sent through a server without it; then
    // the server comes back with its web door on the same port. Only the last two are replayed
    // on join (history-on-join 2): the page must ask for the three before them.
    try (ChatServer interim = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(limits), Clock.systemUTC(), store).start();
         ChatClient dave = ChatClient.connect(ClientOptions.of("127.0.0.1", interim.port(), "dave"),
             (ClientListener) f -> { })) {
      for (int i = 1; i <= 5; i++) {
        dave.say("lobby", "missed " + i).get(10, TimeUnit.SECONDS);
      }
    }
    server = startServer(0, webPort);
    List<String> expected = new ArrayList<>(messages(alice));
    for (int i = 1; i <= 5; i++) {
      expected.add("missed " + i);
    }
    waitFor(alice).withTimeout(Duration.ofSeconds(20))
        .until(d -> messages(d).size() >= before + 5);
    assertThat(messages(alice)).containsExactlyElementsOf(expected);
    waitFor(alice).until(d -> d.findElement(By.id("status")).getText().isEmpty());
    // Back in #dev as well, as its operator again (the room was new on the new server).
    selectConversation(alice, "#dev");
    waitFor(alice).until(d -> d.findElement(By.id("member-list")).getText().contains("@alice"));
    assertThat(alice.findElements(By.cssSelector("#rooms .conversation-button.parted"))).isEmpty();
  }

  @Test
  @Order(6)
  void onAPhoneSizedScreenThePanelsFoldAway() throws Exception {
    WebDriver phone = browser(390, 844);
    login(phone, "erin");
    assertThat(phone.findElement(By.id("sidebar")).isDisplayed()).isFalse();
    assertThat(phone.findElement(By.id("composer-input")).isDisplayed()).isTrue();
    phone.findElement(By.id("toggle-rooms")).click();
    waitFor(phone).until(ExpectedConditions.visibilityOfElementLocated(By.id("sidebar")));
    assertThat(phone.findElement(By.id("toggle-rooms")).getDomAttribute("aria-expanded"))
        .isEqualTo("true");
    phone.findElement(By.id("toggle-rooms")).click();
    waitFor(phone).until(ExpectedConditions.invisibilityOfElementLocated(By.id("sidebar")));
    // Only the last two messages are replayed on join; the short view asks for older pages
    // (history before the oldest seq shown) until it has them all.
    waitFor(phone).until(d -> messages(d).contains("hello from alice"));
    type(phone, "hello from a phone", Keys.ENTER);
    waitFor(phone).until(d -> messages(d).contains("hello from a phone"));
    assertThat(messages(phone)).startsWith("hello from alice", "hi alice, from the terminal", XSS)
        .endsWith("missed 5", "hello from a phone").doesNotHaveDuplicates();
    screenshot(phone, "web-client-phone.png");
    phone.manage().window().setSize(new Dimension(390, 844));
  }

  @Test
  @Order(7)
  void theMemberMenuWorksByKeyboardAndEveryFieldHasALabel() {
    selectConversation(alice, "#lobby");
    assertThat(alice.findElement(By.id("log")).getDomAttribute("role")).isEqualTo("log");
    for (WebElement field : alice.findElements(By.cssSelector("input, textarea"))) {
      String id = field.getDomAttribute("id");
      assertThat(alice.findElements(By.cssSelector("label[for='" + id + "']")))
          .as("label for #%s", id).hasSize(1);
    }
    WebElement bobEntry = alice.findElements(By.cssSelector("#member-list .member")).stream()
        .filter(e -> e.getText().equals("bob")).findFirst().orElseThrow();
    bobEntry.sendKeys(Keys.ENTER);
    waitFor(alice).until(ExpectedConditions.visibilityOfElementLocated(By.id("menu")));
    assertThat(alice.switchTo().activeElement().getText()).isEqualTo("Message privately");
    alice.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    waitFor(alice).until(ExpectedConditions.invisibilityOfElementLocated(By.id("menu")));
    assertThat(alice.switchTo().activeElement().getText()).isEqualTo("bob");
    // Enter on "Message privately" opens the conversation with the composer ready.
    bobEntry.sendKeys(Keys.ENTER);
    waitFor(alice).until(ExpectedConditions.visibilityOfElementLocated(By.id("menu")));
    alice.switchTo().activeElement().sendKeys(Keys.ENTER);
    waitFor(alice).until(d -> "bob".equals(d.findElement(By.id("title")).getText()));
    assertThat(alice.switchTo().activeElement().getDomAttribute("id")).isEqualTo("composer-input");
  }

  @Test
  @Order(8)
  void registeringFromTheLoginFormThenLoggingInWithThePassword() {
    bob.get("http://127.0.0.1:" + webPort + "/");
    waitFor(bob).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-nick")));
    bob.findElement(By.id("login-nick")).sendKeys("robert");
    bob.findElement(By.id("login-password")).sendKeys("correct horse battery");
    bob.findElement(By.id("login-register")).click();
    waitFor(bob).until(d -> d.findElement(By.id("me-account")).getText().contains("logged in"));
    assertThat(bob.findElement(By.id("me")).getText()).isEqualTo("robert");

    // A new page: the nick is robert's now; a wrong password is refused on the form.
    bob.get("http://127.0.0.1:" + webPort + "/");
    waitFor(bob).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-nick")));
    bob.findElement(By.id("login-nick")).sendKeys("robert");
    bob.findElement(By.id("login-password")).sendKeys("wrong password", Keys.ENTER);
    waitFor(bob).until(d -> !d.findElement(By.id("login-error")).getText().isEmpty());
    assertThat(bob.findElement(By.id("app")).isDisplayed()).isFalse();
    bob.findElement(By.id("login-password")).sendKeys("correct horse battery", Keys.ENTER);
    waitFor(bob).until(d -> d.findElement(By.id("me-account")).getText().contains("logged in"));
    assertThat(bob.findElement(By.id("me")).getText()).isEqualTo("robert");
  }

  @Test
  @Order(9)
  void unreadCountsBesideEachRoomFollowTheAccountsOtherDevice() throws Exception {
    // bob's page is logged in as robert now (the test before); robert's phone is a client.
    type(bob, "/join news", Keys.ENTER);
    waitFor(bob).until(d -> "#news".equals(d.findElement(By.id("title")).getText()));
    selectConversation(bob, "#lobby");
    List<Frame> phoneSaw = new CopyOnWriteArrayList<>();
    // The server was restarted (a test before) on a new native port.
    try (ChatClient phone = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(),
        "robert").withLogin("robert", "correct horse battery".toCharArray()), phoneSaw::add);
         ChatClient erin = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), "nora"),
             (ClientListener) f -> { })) {
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> phone.isInRoom("news"));
      erin.join("news").get(10, TimeUnit.SECONDS);
      erin.say("news", "one").get(10, TimeUnit.SECONDS);
      erin.say("news", "robert: two").get(10, TimeUnit.SECONDS);
      Frame three = erin.say("news", "three").get(10, TimeUnit.SECONDS);
      By newsBadge = By.xpath("//ul[@id='rooms']//button[starts-with(normalize-space(.), '#news')]"
          + "//span[contains(@class, 'unread')]");
      waitFor(bob).until(d -> d.findElements(newsBadge).stream()
          .anyMatch(b -> b.getText().equals("3 @1")));
      assertThat(bob.findElement(newsBadge).getDomAttribute("class")).contains("mentioned");
      screenshot(bob, "web-client-unread.png");

      // The phone reads #news: the page's count goes; a newer line counts again.
      chat.client.MarkerRequests.mark(phone, "news", three.number("seq", -1))
          .get(10, TimeUnit.SECONDS);
      waitFor(bob).until(d -> d.findElements(newsBadge).isEmpty());
      Frame four = erin.say("news", "four").get(10, TimeUnit.SECONDS);
      waitFor(bob).until(d -> d.findElements(newsBadge).stream()
          .anyMatch(b -> b.getText().equals("1")));

      // Looking at #news in the page reads it: the phone hears the marker move.
      selectConversation(bob, "#news");
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> phoneSaw.stream()
          .anyMatch(f -> "marker".equals(f.type()) && "news".equals(f.string("room"))
              && f.number("seq", -1) == four.number("seq", -2)));
      assertThat(bob.findElements(newsBadge)).isEmpty();
    }
  }
}
