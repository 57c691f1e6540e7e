package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.gateway.auth.Role;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator UI in a real browser (headless Chromium, at the 800x480 of a line's touch screen)
 * against a running gateway: lots arrive over MQTT, labels go to a simulated printer on a pty, and
 * what the operator does on the page must be what the API then says.
 */
class OperatorUiIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String SUPERVISOR = "sup-anna";
  private static final String VIEWER = "view-vic";

  @TempDir Path dir;
  private MqttRig rig;
  private VirtualSerialPair printerCable;
  private VirtualSerialPair scannerCable;
  private SimulatedPrinter printer;
  private String base;
  private Path config;
  private WebDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void start() throws Exception {
    rig = MqttRig.start();
    printerCable = VirtualSerialPair.create(dir, "p1");
    scannerCable = VirtualSerialPair.create(dir, "s1");
    printer = SimulatedPrinter.start().listenSerial(printerCable.b());
    Path config =
        TestConfig.writeStation(
            dir,
            rig.httpPort(),
            rig.broker().url(),
            rig.erp().url(),
            printerCable.a().toString(),
            scannerCable.a().toString());
    // The live feed checks its reader at each ping, half of this: soon, for the test of a disabled
    // user.
    TestConfig.idleTimeout(config, rig.httpPort(), Duration.ofSeconds(6));
    base = "http://127.0.0.1:" + rig.httpPort();
    this.config = config;
    rig.startGateway(config, "L1");
    TestUsers.ensure(TestConfig.dataDir(config), SUPERVISOR, Role.SUPERVISOR);
    TestUsers.ensure(TestConfig.dataDir(config), VIEWER, Role.VIEWER);
    browser = headlessChromium();
    wait = new WebDriverWait(browser, PATIENCE);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    rig.stopGateway();
    printer.close();
    printerCable.close();
    scannerCable.close();
    rig.close();
  }

  /** The one thing QA does most at a line: find the lot just made and put it on hold. */
  @Test
  void theNewLotIsOnTheOverviewAndHoldingItFromItsPageHoldsItInTheGateway() throws Exception {
    String lot = publishAndAwaitLot(3);

    browser.get(base + "/");
    logIn(SUPERVISOR, TestUsers.PASSWORD);
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("article.line[data-line='L1'] .current[data-lot='" + lot + "']")));
    // Each output with its state and backlog (here the HTTP ERP alone).
    wait.until(
        ExpectedConditions.textMatches(
            By.id("backlog-http"), java.util.regex.Pattern.compile("^ERP UP .*")));
    assertThat(
            browser
                .findElement(By.cssSelector(".current[data-lot='" + lot + "'] .badge"))
                .getText())
        .isEqualTo("released");

    click(By.cssSelector(".current[data-lot='" + lot + "']"));
    wait.until(ExpectedConditions.textToBe(By.id("lot-status"), "released"));
    WebElement hold = browser.findElement(By.cssSelector("button[data-action='hold']"));
    assertThat(hold.getSize().getHeight())
        .as("a touch target a gloved finger can hit")
        .isGreaterThanOrEqualTo(44);
    hold.click();
    answer("Hold lot " + lot, "deviation DEV-042");

    wait.until(ExpectedConditions.textToBe(By.id("lot-status"), "on-hold"));
    JsonNode stored = rig.api().get("/api/lots/" + lot);
    assertThat(stored.get("status").asText()).isEqualTo("on-hold");
    assertThat(stored.at("/statusHistory/0/reason").asText()).isEqualTo("deviation DEV-042");
    assertThat(stored.at("/statusHistory/0/by").asText())
        .as("the logged-in user, asked nothing")
        .isEqualTo(SUPERVISOR);
    assertThat(browser.findElements(By.cssSelector("button[data-action='hold']")))
        .as("a held lot offers release and recall, not hold")
        .isEmpty();

    // Releasing is signed: a wrong password is refused, the right one releases.
    click(By.cssSelector("button[data-action='release']"));
    sign("Release lot " + lot, "DEV-042 closed", "not-my-password");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
    assertThat(browser.findElement(By.id("error-title")).getText()).isEqualTo("signature refused:");
    assertThat(rig.api().get("/api/lots/" + lot).get("status").asText()).isEqualTo("on-hold");
    browser.findElement(By.id("error-close")).click();
    click(By.cssSelector("button[data-action='release']"));
    sign("Release lot " + lot, "DEV-042 closed", TestUsers.PASSWORD);
    wait.until(ExpectedConditions.textToBe(By.id("lot-status"), "released"));
    assertThat(rig.api().get("/api/lots/" + lot).at("/statusHistory/1/signed").asText())
        .isEqualTo("approved");

    // QA reads it in the audit trail.
    click(By.id("audit-link"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("table.audit tbody"), "lot.release"));
    String newest = browser.findElement(By.cssSelector("table.audit tbody tr")).getText();
    assertThat(newest)
        .contains(SUPERVISOR + " (supervisor)")
        .contains("lot " + lot)
        .contains("DEV-042 closed")
        .contains("approved");
  }

  /**
   * The screen asks for a login before it shows anything; a viewer sees lots but no buttons that
   * change them; logging out returns to the login page and ends the session.
   */
  @Test
  void theLoginPageComesFirstAViewerSeesNoActionsAndLogoutEndsTheSession() throws Exception {
    String lot = publishAndAwaitLot(1);
    browser.get(base + "/#/lots/" + lot);
    logIn(VIEWER, "wrong-password");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("login-problem"), "login failed"));
    assertThat(browser.findElements(By.cssSelector("article.line"))).isEmpty();

    logIn(VIEWER, TestUsers.PASSWORD);
    wait.until(ExpectedConditions.textToBe(By.id("lot-status"), "released"));
    assertThat(browser.findElements(By.cssSelector(".actions button"))).isEmpty();
    assertThat(browser.findElement(By.id("user")).getText()).isEqualTo(VIEWER + " (viewer)");
    assertThat(browser.findElement(By.id("users-link")).isDisplayed()).as("admins only").isFalse();
    assertThat(((JavascriptExecutor) browser).executeScript("return document.cookie"))
        .as("the session cookie is HttpOnly: no script on the page can read it")
        .isEqualTo("");

    click(By.id("logout"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
    assertThat(rig.api().get("/api/audit?limit=1").at("/items/0/action").asText())
        .isEqualTo("session.logout");
    browser.get(base + "/#/lots/" + lot);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
  }

  /** The plant engineer adds an operator from the screen; the operator can log in at once. */
  @Test
  void anAdminAddsAnOperatorOnTheUsersPage() throws Exception {
    TestUsers.ensure(TestConfig.dataDir(config), "admin-ada", Role.ADMIN);
    browser.get(base + "/");
    logIn("admin-ada", TestUsers.PASSWORD);
    // Shown once the login is through, to admins only.
    wait.until(ExpectedConditions.elementToBeClickable(By.id("users-link"))).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("new-user")));
    browser.findElement(By.id("new-user")).sendKeys("op-neo");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("new-role")))
        .selectByValue("operator");
    browser.findElement(By.id("new-password")).sendKeys("neo-password-1");
    browser.findElement(By.id("add-user-ok")).click();

    wait.until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-user='op-neo']")));
    assertThat(browser.findElement(By.cssSelector("tr[data-user='op-neo']")).getText())
        .contains("operator");
    assertThat(rig.api().logIn("op-neo", "neo-password-1")).isEqualTo(200);
    assertThat(rig.api().get("/api/audit?limit=5").toString())
        .contains("\"user\":\"admin-ada\"")
        .contains("user op-neo");
  }

  @Test
  void aViewerDisabledWhileHerPageIsOpenSeesTheLoginPageWithinAPing() throws Exception {
    browser.get(base + "/");
    logIn(VIEWER, TestUsers.PASSWORD);
    wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));

    assertThat(rig.api().post("/api/users/" + VIEWER + "/disable", "{}").status()).isEqualTo(200);

    wait.until(
        ExpectedConditions.textMatches(By.id("login-problem"), Pattern.compile("^Logged out: .+")));
    assertThat(browser.findElement(By.id("live")).getText()).isEqualTo("ended");
    assertThat(browser.findElement(By.id("who")).isDisplayed()).isFalse();
  }

  @Test
  void anOperatorChangesHerOwnPasswordAndLogsInWithTheNewOne() throws Exception {
    TestUsers.ensure(TestConfig.dataDir(config), "op-pia", Role.OPERATOR);
    browser.get(base + "/");
    logIn("op-pia", TestUsers.PASSWORD);
    wait.until(ExpectedConditions.textToBe(By.id("user"), "op-pia (operator)"));
    click(By.id("user"));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("current-password")))
        .sendKeys(TestUsers.PASSWORD);
    browser.findElement(By.id("next-password")).sendKeys("pia-new-password-1");
    browser.findElement(By.id("next-password-again")).sendKeys("pia-new-password-2");
    click(By.id("change-password-ok"));
    wait.until(
        ExpectedConditions.textToBe(
            By.id("password-problem"), "The new password and its repetition differ."));
    assertThat(rig.api().logIn("op-pia", TestUsers.PASSWORD)).as("unchanged").isEqualTo(200);

    WebElement again = browser.findElement(By.id("next-password-again"));
    again.clear();
    again.sendKeys("pia-new-password-1");
    click(By.id("change-password-ok"));

    wait.until(
        ExpectedConditions.textToBe(
            By.id("login-problem"), "Password changed: log in with the new one."));
    assertThat(rig.api().logIn("op-pia", TestUsers.PASSWORD)).isEqualTo(401);
    logIn("op-pia", "pia-new-password-1");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("status")));
    assertThat(browser.getCurrentUrl()).endsWith("#/");
    assertThat(rig.api().get("/api/audit?limit=20").toString())
        .contains("\"action\":\"user.password\"")
        .contains("user op-pia");
  }

  /**
   * The screen at the line is never reloaded by hand: a lot made while it is open must show up by
   * itself.
   */
  @Test
  void aLotMadeWhileTheOverviewIsOpenAppearsWithoutReloadingThePage() throws Exception {
    String first = publishAndAwaitLot(2);
    browser.get(base + "/");
    logIn(SUPERVISOR, TestUsers.PASSWORD);
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector(".current[data-lot='" + first + "']")));
    wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
    // Survives only as long as the page does: a reload or navigation would clear it.
    ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'yes'");

    String second = publishAndAwaitLot(2);

    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("article.line[data-line='L1'] .current[data-lot='" + second + "']")));
    assertThat(
            browser.findElements(
                By.cssSelector("article.line[data-line='L1'] .lots a[data-lot='" + first + "']")))
        .as("the earlier lot moves to the list below")
        .hasSize(1);
    assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument"))
        .as("updated in place, not reloaded")
        .isEqualTo("yes");
  }

  /** An operator who opens a lot that does not exist is told so in the API's own words. */
  @Test
  void anApiErrorIsShownToTheOperatorAsTheApiSaysIt() {
    browser.get(base + "/#/lots/NO-SUCH-LOT");
    logIn(VIEWER, TestUsers.PASSWORD);

    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
    assertThat(browser.findElement(By.id("error-title")).getText()).isEqualTo("lot not found:");
    assertThat(browser.findElement(By.id("error-detail")).getText())
        .isEqualTo("no lot NO-SUCH-LOT");
  }

  /**
   * A unit label scanned at station S1 shows green on line L1's card while the page is open; the
   * same label scanned again shows red with the gateway's reason. The bytes go into the scanner's
   * end of the serial cable, as a scanner sends them.
   */
  @Test
  void aScanAtTheStationShowsLiveGreenThenRedWithItsReason() throws Exception {
    String lot = publishAndAwaitLot(1);
    JsonNode stored = rig.api().get("/api/lots/" + lot);
    String serial = rig.api().get("/api/lots/" + lot + "/serials").at("/items/0/serial").asText();
    await()
        .atMost(PATIENCE)
        .until(() -> rig.api().get("/api/lots/" + lot).at("/serialCounts/printed").asInt() == 1);
    browser.get(base + "/");
    logIn(VIEWER, TestUsers.PASSWORD);
    wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));

    String expiry =
        DateTimeFormatter.ofPattern("yyMMdd")
            .format(LocalDate.parse(stored.get("expiryDate").asText()));
    String label =
        "01" + TestConfig.WIDGET_GTIN + "17" + expiry + "10" + lot + "\u001D21" + serial + "\r";
    long scanned = System.nanoTime();
    Files.write(scannerCable.b(), label.getBytes(StandardCharsets.US_ASCII));
    // Polled finely so that the time it took can be reported (BENCHMARKS.md); it is not asserted.
    new WebDriverWait(browser, PATIENCE, Duration.ofMillis(10))
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("ol.scans[data-line='L1'] li.scan.ok")));
    System.out.printf(
        "scan on the serial port to green on the page: %d ms%n",
        (System.nanoTime() - scanned) / 1_000_000);
    assertThat(browser.findElement(By.cssSelector("ol.scans[data-line='L1'] li.scan.ok")).getText())
        .contains(serial);

    Files.write(scannerCable.b(), label.getBytes(StandardCharsets.US_ASCII));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("ol.scans[data-line='L1'] li.scan.bad")));
    String reason = rig.api().get("/api/scans?line=L1").at("/items/0/reason").asText();
    assertThat(reason).isNotBlank();
    assertThat(
            browser
                .findElement(By.cssSelector("ol.scans[data-line='L1'] li.scan.bad .reason"))
                .getText())
        .isEqualTo(reason);
  }

  /**
   * SPEC section 10 at the packing station's screen: units scanned in show live in the open case, a
   * refusal shows large and red with its reason, a short case closes from the screen, and its page
   * unpacks it.
   */
  @Test
  void thePackingStationsScreenCountsLiveShowsRefusalsAndClosesAndUnpacksACase() throws Exception {
    rig.stopGateway();
    try (SimulatedPrinter casePrinter = SimulatedPrinter.start()) {
      int casePrinterPort = casePrinter.listenTcp(0);
      // The same data directory: the users stay; S1's cable is now packing station PACK1's S2.
      rig.startGateway(
          TestConfig.writePacking(
              dir,
              rig.httpPort(),
              rig.broker().url(),
              "url: " + rig.erp().url(),
              printerCable.a().toString(),
              scannerCable.a().toString(),
              "tcp://127.0.0.1:" + casePrinterPort),
          "L1");
      TestUsers.ensure(TestConfig.dataDir(config), "op-olga", Role.OPERATOR);
      String lot = publishAndAwaitLot(3);
      await().atMost(PATIENCE).until(() -> printer.labels().size() == 3);
      await()
          .atMost(PATIENCE)
          .until(() -> rig.api().check("scanner:S2").get("status").asText().equals("UP"));

      browser.get(base + "/");
      logIn("op-olga", TestUsers.PASSWORD);
      click(By.cssSelector("a[data-station='PACK1']"));
      wait.until(ExpectedConditions.textToBe(By.id("open-case-count"), "0"));
      wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));

      scan(printer.labels().get(0).barcodes().get(0).data());
      wait.until(ExpectedConditions.textToBe(By.id("open-case-count"), "1 / 5"));
      scan(printer.labels().get(0).barcodes().get(0).data());
      wait.until(ExpectedConditions.attributeToBe(By.id("latest-scan"), "data-verdict", "refused"));
      assertThat(browser.findElement(By.id("latest-scan")).getText())
          .contains("is already in the open case");
      scan(printer.labels().get(1).barcodes().get(0).data());
      wait.until(ExpectedConditions.textToBe(By.id("open-case-count"), "2 / 5"));

      click(By.cssSelector("button[data-action='close-case']"));
      wait.until(ExpectedConditions.textToBe(By.id("open-case-count"), "0"));
      String sscc = rig.api().get("/api/lots/" + lot).at("/cases/0/sscc").asText();
      await().atMost(PATIENCE).until(() -> casePrinter.labels().size() == 1);

      browser.get(base + "/#/cases/" + sscc);
      wait.until(ExpectedConditions.textToBe(By.id("case-status"), "packed"));
      assertThat(browser.findElements(By.cssSelector("#case-children li"))).hasSize(2);
      click(By.cssSelector("button[data-action='unpack']"));
      answer("Unpack case " + sscc, "rework");
      wait.until(ExpectedConditions.textToBe(By.id("case-status"), "unpacked"));
      assertThat(rig.api().get("/api/cases/" + sscc).at("/history/1/reason").asText())
          .isEqualTo("rework");
    }
  }

  /** A scan at the station's scanner, as its serial cable carries it. */
  private void scan(String data) throws Exception {
    Files.write(scannerCable.b(), (data + "\r").getBytes(StandardCharsets.ISO_8859_1));
  }

  private String publishAndAwaitLot(int quantity) throws Exception {
    return rig.publishAndAwaitLot("L1", TestConfig.WIDGET, quantity).get("lot").asText();
  }

  /** Live updates redraw the page, so an element found a moment ago may be gone: find it again. */
  private void click(By target) {
    wait.ignoring(StaleElementReferenceException.class)
        .until(
            driver -> {
              driver.findElement(target).click();
              return true;
            });
  }

  /** Logs in on the login page the screen shows. */
  private void logIn(String user, String password) {
    WebElement name = wait.until(ExpectedConditions.elementToBeClickable(By.id("login-user")));
    name.clear();
    name.sendKeys(user);
    browser.findElement(By.id("login-password")).sendKeys(password);
    browser.findElement(By.id("login-ok")).click();
  }

  /** Signs in the signature dialog once it asks for this signature. */
  private void sign(String title, String reason, String password) {
    wait.until(
        driver ->
            driver.findElement(By.id("sign")).getAttribute("open") != null
                && driver.findElement(By.id("sign-title")).getText().equals(title));
    browser.findElement(By.id("sign-reason")).sendKeys(reason);
    browser.findElement(By.id("sign-password")).sendKeys(password);
    browser.findElement(By.id("sign-ok")).click();
  }

  /** Answers the UI's question dialog once it asks this question. */
  private void answer(String question, String text) {
    wait.until(
        driver ->
            driver.findElement(By.id("ask")).getAttribute("open") != null
                && driver.findElement(By.id("ask-title")).getText().equals(question));
    browser.findElement(By.id("ask-input")).sendKeys(text);
    browser.findElement(By.id("ask-ok")).click();
  }

  private static WebDriver headlessChromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(onPath("chromium", "chromium-browser"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage");
    // The Debian driver, found directly: Selenium Manager would try to download one.
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(onPath("chromedriver")).build();
    ChromeDriver chromium = new ChromeDriver(service, options);
    // The page itself gets 800x480, as on the panel; a window size would include the browser's
    // frame.
    chromium.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 800, "height", 480, "deviceScaleFactor", 1, "mobile", false));
    return chromium;
  }

  private static File onPath(String... names) {
    for (String name : names) {
      for (String folder :
          System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
        File candidate = new File(folder, name);
        if (candidate.canExecute()) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        String.join(" or ", names)
            + " is not on the PATH; ./linegate test installs chromium and chromium-driver");
  }
}
