package dev.weir.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven through Debian's {@code chromedriver} over the W3C WebDriver
 * HTTP protocol with the JDK's HTTP client: no Selenium, nothing downloaded at run time. One
 * browser session per instance; {@link #close()} ends the session and the driver.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final List<String> BROWSERS = List.of("chromium", "chromium-browser");

  private final Process driver;
  private final String base;
  private final String session;
  private final HttpClient http = HttpClient.newHttpClient();

  /** The browser and driver binaries, when both are installed. */
  record Binaries(Path browser, Path driver) {}

  /**
   * Finds {@code chromium} and {@code chromedriver} on the {@code PATH}.
   *
   * @return the binaries, or empty with nothing found
   */
  static Optional<Binaries> find() {
    Optional<Path> driver = onPath("chromedriver");
    Optional<Path> browser =
        BROWSERS.stream().map(HeadlessChromium::onPath).flatMap(Optional::stream).findFirst();
    return driver.isPresent() && browser.isPresent()
        ? Optional.of(new Binaries(browser.get(), driver.get()))
        : Optional.empty();
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    return Stream.of(path.split(java.io.File.pathSeparator))
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Starts the driver and a headless browser session with a window of {@code width} x {@code
   * height}.
   */
  HeadlessChromium(Binaries binaries, int width, int height) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    driver =
        new ProcessBuilder(binaries.driver().toString(), "--port=" + port)
            .redirectErrorStream(true)
            .start();
    // The driver says when it listens; read up to that line instead of guessing a delay.
    BufferedReader out =
        new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder said = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null && !line.contains("started successfully")) {
      said.append(line).append('\n');
    }
    if (line == null) {
      driver.destroy();
      throw new IOException("chromedriver did not start:\n" + said);
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // keeps the driver's output pipe from filling up
                }
              } catch (IOException e) {
                // the driver ended
              }
            },
            "chromedriver-output");
    drain.setDaemon(true);
    drain.start();
    base = "http://127.0.0.1:" + port;
    try {
      String created =
          call(
              "POST",
              "/session",
              "{\"capabilities\":{\"alwaysMatch\":{\"browserName\":\"chrome\","
                  + "\"goog:chromeOptions\":{\"binary\":"
                  + quote(binaries.browser().toString())
                  + ",\"args\":[\"--headless\",\"--no-sandbox\",\"--disable-gpu\","
                  + "\"--disable-dev-shm-usage\",\"--hide-scrollbars\",\"--window-size="
                  + width
                  + ","
                  + height
                  + "\"]}}}}");
      Matcher m = Pattern.compile("\"sessionId\":\"([^\"]+)\"").matcher(created);
      if (!m.find()) {
        throw new IOException("No browser session: " + created);
      }
      session = "/session/" + m.group(1);
    } catch (IOException | RuntimeException e) {
      stopDriver();
      throw e;
    }
  }

  /** Opens {@code url} and waits for its load event. */
  void open(String url) throws IOException {
    call("POST", session + "/url", "{\"url\":" + quote(url) + "}");
  }

  /**
   * Runs an asynchronous script: its last argument is the callback, called with a string.
   *
   * @param script the function body
   * @param timeout how long the script may take before the driver fails it
   * @return the string passed to the callback
   */
  String executeAsync(String script, Duration timeout) throws IOException {
    call("POST", session + "/timeouts", "{\"script\":" + timeout.toMillis() + "}");
    return stringValue(
        call("POST", session + "/execute/async", "{\"script\":" + quote(script) + ",\"args\":[]}"));
  }

  /** Saves a PNG screenshot of the window. */
  void screenshot(Path file) throws IOException {
    String png = stringValue(call("GET", session + "/screenshot", null));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(png));
  }

  @Override
  public void close() {
    try {
      call("DELETE", session, null);
    } catch (IOException | RuntimeException e) {
      // the driver's end below takes the browser down too
    } finally {
      stopDriver();
    }
  }

  private void stopDriver() {
    driver.descendants().forEach(ProcessHandle::destroy);
    driver.destroy();
    try {
      driver.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String call(String method, String path, String body) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", "application/json; charset=utf-8");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted talking to chromedriver", e);
    }
    if (r.statusCode() != 200) {
      throw new IOException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** The string {@code value} of a WebDriver answer, {@code {"value":"..."}}. */
  private static String stringValue(String answer) throws IOException {
    // Scanned by hand: a screenshot's value is megabytes, too long for a backtracking regex.
    Matcher m = Pattern.compile("\"value\"\\s*:\\s*\"").matcher(answer);
    if (!m.find()) {
      throw new IOException("Not a string value: " + answer);
    }
    int start = m.end();
    int i = start;
    while (i < answer.length() && answer.charAt(i) != '"') {
      i += answer.charAt(i) == '\\' ? 2 : 1;
    }
    return unquote(answer.substring(start, i));
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static String unquote(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> b.append(e); // \" \\ \/
      }
    }
    return b.toString();
  }
}
