package chat.client.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.client.ChatClient;
import chat.client.ClientListener;
import chat.client.ClientOptions;
import chat.core.CoreLimits;
import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.web.WebConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a room that goes quiet (more people than the presence limit): the member panel
 * shows the server's count and lists everyone only when asked, and shows arrivals again once the
 * room speaks again.
 */
class BrowserBigRoomTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final int LIMIT = 3;

  private ChatServer server;
  private WebDriver browser;
  private Path profile;
  private final List<ChatClient> others = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Files.isExecutable(BrowserChatTest.CHROMIUM)
        && Files.isExecutable(BrowserChatTest.CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0)
        .withCoreLimits(CoreLimits.DEFAULT.withPresenceLimit(LIMIT)))
        .withWeb(WebConfig.on("127.0.0.1", 0)).start();
    profile = Files.createTempDirectory("chat-chromium");
    browser = Chromium.start(profile, 1280, 800);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    for (ChatClient other : others) {
      other.close();
    }
    if (server != null) {
      server.close();
    }
    if (profile != null) {
      try (var walk = Files.walk(profile)) {
        walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private ChatClient join(String nick) throws Exception {
    ChatClient client = ChatClient.connect(ClientOptions.of("127.0.0.1", server.port(), nick),
        (ClientListener) frame -> { });
    others.add(client);
    return client;
  }

  private String heading() {
    return browser.findElement(By.id("members-heading")).getText();
  }

  private String memberList() {
    return browser.findElement(By.id("member-list")).getDomProperty("textContent");
  }

  private void screenshot(String name) throws Exception {
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aQuietRoomShowsItsCountListsEveryoneOnDemandAndSpeaksAgain() throws Exception {
    join("amy");
    join("ben");
    join("cat");
    join("dan"); // four people: the lobby is quiet before the page comes
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    browser.get("http://127.0.0.1:" + server.webAddress().getPort() + "/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-nick")));
    browser.findElement(By.id("login-nick")).sendKeys("eve");
    browser.findElement(By.id("login-connect")).click();
    wait.until(d -> d.findElement(By.id("member-list")).getDomProperty("textContent")
        .contains("eve"));
    wait.until(d -> heading().equals("MEMBERS (5)") || heading().equals("Members (5)"));
    assertThat(memberList()).doesNotContain("amy");
    assertThat(browser.findElement(By.id("members-note")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("members-note")).getText()).contains("big room");

    join("fay"); // no arrival told while quiet
    browser.findElement(By.id("list-everyone")).click();
    wait.until(d -> memberList().contains("amy") && memberList().contains("fay"));
    assertThat(heading()).containsIgnoringCase("Members (6)");
    assertThat(browser.findElement(By.id("list-everyone")).getText()).isEqualTo("List again");
    assertThat(browser.findElement(By.id("log")).getText()).doesNotContain("fay joined");
    screenshot("browser-big-room.png");

    // Three leave (6 -> 3 people): the room speaks again with its members, then tells who
    // leaves and comes.
    for (int i = 0; i < 3; i++) {
      ChatClient leaving = others.remove(others.size() - 1);
      leaving.quit("bye").get(10, TimeUnit.SECONDS);
      leaving.close();
    }
    wait.until(d -> d.findElement(By.id("log")).getText().contains("shown again"));
    wait.until(d -> !d.findElement(By.id("members-note")).isDisplayed());
    assertThat(heading()).containsIgnoringCase("Members (3)");
    assertThat(memberList()).contains("amy").contains("ben").contains("eve")
        .doesNotContain("fay");
    ChatClient ben = others.remove(others.size() - 1);
    ben.quit("bye").get(10, TimeUnit.SECONDS);
    wait.until(d -> d.findElement(By.id("log")).getText().contains("ben quit"));
    join("gus").say("lobby", "hello").get(10, TimeUnit.SECONDS); // three people: told
    wait.until(d -> d.findElement(By.id("log")).getText().contains("gus joined"));
    wait.until(d -> memberList().contains("gus"));
  }
}
