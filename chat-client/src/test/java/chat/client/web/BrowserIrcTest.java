package chat.client.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.irc.IrcConfig;
import chat.server.web.WebConfig;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * IRC over WebSocket from a real browser: a small page on another origin (as a gamja or Kiwi IRC
 * installation would be, let in with {@code --http-origin}) opens
 * {@code new WebSocket(url, 'text.ircv3.net')} to the web door's {@code /irc}, registers, joins
 * #lobby and talks with an IRC client on the IRC port. Saves {@code target/irc-websocket.png}.
 */
class BrowserIrcTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  /** The page: every line it gets, one per row; {@code say(text)} sends to #lobby. */
  private static final String PAGE = """
      <!doctype html><meta charset="utf-8"><title>IRC over WebSocket</title>
      <style>body{font:14px monospace;margin:1em} #log div{white-space:pre-wrap}</style>
      <h3>IRC over WebSocket: <span id="proto">connecting</span></h3><div id="log"></div>
      <script>
      const url = new URLSearchParams(location.search).get('ws');
      const ws = new WebSocket(url, 'text.ircv3.net');
      const log = (dir, line) => {
        const row = document.createElement('div');
        row.textContent = dir + ' ' + line;
        document.getElementById('log').appendChild(row);
      };
      const send = (line) => { ws.send(line); log('>', line); };
      window.say = (text) => send('PRIVMSG #lobby :' + text);
      ws.onopen = () => {
        document.getElementById('proto').textContent = ws.protocol;
        send('NICK dora'); send('USER dora 0 * :Dora in a browser');
      };
      ws.onmessage = (e) => {
        log('<', e.data);
        const words = e.data.split(' ');
        if (words[0] === 'PING') send('PONG ' + words.slice(1).join(' '));
        if (words[1] === '376' || words[1] === '422') send('JOIN #lobby');
      };
      ws.onclose = (e) => log('closed', e.code);
      </script>
      """;

  private HttpServer pages;
  private ChatServer server;
  private WebDriver browser;
  private Path profile;

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (pages != null) {
      pages.stop(0);
    }
    if (profile != null) {
      try (var walk = Files.walk(profile)) {
        walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  void aPageOnAnotherOriginTalksIrcThroughTheWebDoor() throws Exception {
    assumeTrue(Files.isExecutable(BrowserChatTest.CHROMIUM)
        && Files.isExecutable(BrowserChatTest.CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pages.createContext("/", exchange -> {
      byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    pages.start();
    String pageOrigin = "http://127.0.0.1:" + pages.getAddress().getPort();
    server = new ChatServer(ServerConfig.defaults().withAddress("127.0.0.1", 0))
        .withWeb(WebConfig.on("127.0.0.1", 0).withOrigins(List.of(pageOrigin)))
        .irc(IrcConfig.of("127.0.0.1", 0))
        .start();
    int web = server.webAddress().getPort();

    try (Socket bobSocket = new Socket("127.0.0.1", server.ircPort())) {
      bobSocket.setSoTimeout((int) WAIT.toMillis());
      BufferedReader bobIn = new BufferedReader(new InputStreamReader(bobSocket.getInputStream(),
          StandardCharsets.UTF_8));
      OutputStream bobOut = bobSocket.getOutputStream();
      bobOut.write("NICK bob\r\nUSER bob 0 * :Bob\r\nJOIN #lobby\r\n"
          .getBytes(StandardCharsets.UTF_8));
      bobOut.flush();
      awaitLine(bobIn, " 366 ");

      profile = Files.createTempDirectory("chat-chromium");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(BrowserChatTest.CHROMIUM.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
          "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
          "--window-size=900,600");
      browser = new ChromeDriver(new ChromeDriverService.Builder()
          .usingDriverExecutable(BrowserChatTest.CHROMEDRIVER.toFile()).usingAnyFreePort()
          .build(), options);
      browser.get(pageOrigin + "/?ws=ws://127.0.0.1:" + web + "/irc");

      WebDriverWait wait = new WebDriverWait(browser, WAIT);
      wait.until(d -> d.findElement(By.id("proto")).getText().equals("text.ircv3.net"));
      awaitLine(bobIn, ":dora!dora@chat JOIN #lobby");
      bobOut.write("PRIVMSG #lobby :hello browser\r\n".getBytes(StandardCharsets.UTF_8));
      bobOut.flush();
      wait.until(d -> d.findElement(By.id("log")).getText()
          .contains(":bob!bob@chat PRIVMSG #lobby :hello browser"));
      ((JavascriptExecutor) browser).executeScript("say('hello from Chromium')");
      String line = awaitLine(bobIn, "PRIVMSG #lobby :hello from Chromium");
      assertThat(line).startsWith(":dora!dora@chat ");

      String log = browser.findElement(By.id("log")).getText();
      assertThat(log).contains("< :chat.local 001 dora", "> JOIN #lobby");
      Path shot = Path.of("target", "irc-websocket.png");
      Files.createDirectories(shot.getParent());
      Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shot,
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String awaitLine(BufferedReader in, String part) throws Exception {
    StringBuilder seen = new StringBuilder();
    for (String line; (line = in.readLine()) != null; ) {
      if (line.contains(part)) {
        return line;
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("closed before " + part + "; lines:\n" + seen);
  }
}
