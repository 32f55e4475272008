package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idgen.server.support.IdgenServerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Swagger UI as a person uses it, in a real browser: Debian's {@code chromium}, headless,
 * driven through Debian's {@code chromedriver} (packages {@code chromium} and
 * {@code chromium-driver}, which {@code deploy/install-tools.sh} installs). Opens
 * {@code /swagger-ui.html}, runs "Try it out" and "Execute" on GET /ids and expects the
 * 200 and the id Swagger UI shows.
 *
 * <p>
 * Where either program is missing, the test is skipped with a message saying which and
 * how to install it; it never fails for that. Nothing is downloaded: the browser and
 * driver are named explicitly, so Selenium Manager has nothing to look up (and runs
 * offline, {@code SE_OFFLINE} in the POM), and the browser runs with its background
 * networking off, in a fresh profile. On failure a screenshot is left in
 * {@code target/swagger-ui-browser-failure.png}.
 */
@IdgenServerTest
class SwaggerUiBrowserTests {

    /** Overridable where Chromium lives elsewhere. */
    private static final Path CHROMIUM = Paths.get(System.getenv().getOrDefault("IDGEN_CHROMIUM", "/usr/bin/chromium"));

    private static final Path CHROMEDRIVER = Paths
        .get(System.getenv().getOrDefault("IDGEN_CHROMEDRIVER", "/usr/bin/chromedriver"));

    /**
     * Generous: the build machine may be busy; the waits end as soon as the page is
     * there.
     */
    private static final Duration WAIT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    @TempDir
    Path profile;

    private ChromeDriverService service;

    private ChromeDriver browser;

    /**
     * Skips (never fails) without a browser, saying so in the build's output and in the
     * test report. Per test rather than per class, so that the report counts it as
     * skipped, with this message.
     */
    @BeforeEach
    void startBrowser() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            String message = "SKIPPED: the Swagger UI browser test needs Chromium at " + CHROMIUM
                    + " and chromedriver at " + CHROMEDRIVER + " ("
                    + (Files.isExecutable(CHROMIUM) ? "" : "no chromium; ")
                    + (Files.isExecutable(CHROMEDRIVER) ? "" : "no chromedriver; ")
                    + "Debian: apt-get install chromium chromium-driver, as deploy/install-tools.sh does;"
                    + " or set IDGEN_CHROMIUM / IDGEN_CHROMEDRIVER)";
            System.err.println(message);
            Assumptions.abort(message);
        }
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1600", "--user-data-dir=" + profile.toAbsolutePath());
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
    }

    @Test
    void tryItOutOnGetIdsShowsA200WithAnId() throws IOException {
        try {
            browser.get("http://127.0.0.1:" + port + "/swagger-ui.html");
            WebDriverWait wait = new WebDriverWait(browser, WAIT);

            By getIds = By.xpath("//div[contains(@class,'opblock-get')][.//*[@data-path='/ids']]");
            WebElement operation = wait.until(ExpectedConditions.presenceOfElementLocated(getIds));
            operation.findElement(By.cssSelector(".opblock-summary-control")).click();
            // The expanded operation renders after the click: wait for each button to
            // exist
            // before waiting for it to be clickable.
            clickWhenReady(wait, operation, By.cssSelector(".try-out__btn"));
            clickWhenReady(wait, operation, By.cssSelector("button.execute"));

            By status = By.cssSelector(".live-responses-table .response .response-col_status");
            wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(operation, status));
            String body = wait.until((driver) -> {
                String text = operation
                    .findElement(By.cssSelector(".live-responses-table .response-col_description pre"))
                    .getText();
                return text.isBlank() ? null : text;
            });

            assertThat(operation.findElement(status).getText().trim()).isEqualTo("200");
            assertThat(body).containsPattern("\"id\"\\s*:\\s*\"[0-9]+\"");
        }
        catch (RuntimeException | AssertionError ex) {
            Path screenshot = Paths.get("target", "swagger-ui-browser-failure.png");
            Files.createDirectories(screenshot.getParent());
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                    StandardCopyOption.REPLACE_EXISTING);
            throw ex;
        }
    }

    private static void clickWhenReady(WebDriverWait wait, WebElement parent, By button) {
        WebElement found = wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(parent, button));
        wait.until(ExpectedConditions.elementToBeClickable(found)).click();
    }

}
