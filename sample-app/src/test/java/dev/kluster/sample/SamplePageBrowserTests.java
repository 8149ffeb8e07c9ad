package dev.kluster.sample;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the sample's page in headless Chromium: a streamed answer appears, a request
 * with {@code n=2} shows the validation error, and prompts run as a batch show their
 * results. Uses the machine's Chromium and
 * ChromeDriver ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}, or the
 * {@code CHROME_BIN} and {@code CHROMEDRIVER} environment variables); {@code .ci/run}
 * installs them.
 */
@ExtendWith(SamplePageBrowserTests.BrowserInstalled.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sample.stand-in.chunk-delay=40ms")
class SamplePageBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static WebDriver driver;

	@LocalServerPort
	private int port;

	@BeforeAll
	static void startBrowser(@TempDir Path profile) {
		File chromium = BrowserInstalled.chromium();
		File chromedriver = BrowserInstalled.chromedriver();
		ChromeOptions options = new ChromeOptions().setBinary(chromium)
			// No network here beyond localhost: keep Chromium from calling home.
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--no-first-run", "--window-size=1100,900", "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
			.usingAnyFreePort()
			.build();
		driver = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@Test
	void streamedAnswerAppearsWithUsageAndLatency() {
		driver.get("http://localhost:" + this.port + "/");
		WebDriverWait wait = new WebDriverWait(driver, WAIT);
		wait.until((d) -> "true".equals(d.findElement(By.id("model")).getDomAttribute("data-loaded")));
		assertThat(driver.findElement(By.id("mode")).getText()).contains("Answers are canned");
		askStreamed(wait);
		// Partial text first: the answer arrives word by word.
		wait.until((d) -> d.findElement(By.id("answer")).getText().startsWith("You said:"));
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("stats"), "tokens"));
		assertThat(driver.findElement(By.id("answer")).getText()).isEqualTo("You said: How does streaming work?");
		assertThat(driver.findElement(By.id("stats")).getText()).contains("ms")
			.contains("deepseek-ai/DeepSeek-V3-0324");
	}

	private static void askStreamed(WebDriverWait wait) {
		new Select(driver.findElement(By.id("model"))).selectByValue("deepseek-ai/DeepSeek-V3-0324");
		WebElement prompt = driver.findElement(By.id("prompt"));
		prompt.clear();
		prompt.sendKeys("How does streaming work?");
		driver.findElement(By.id("send")).click();
	}

	@Test
	void validationErrorIsShownReadably() {
		driver.get("http://localhost:" + this.port + "/");
		WebDriverWait wait = new WebDriverWait(driver, WAIT);
		wait.until((d) -> "true".equals(d.findElement(By.id("model")).getDomAttribute("data-loaded")));
		driver.findElement(By.id("send-n2")).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
		String error = driver.findElement(By.id("error")).getText();
		assertThat(error).contains("nothing was sent")
			.contains("n: is not supported by kluster.ai")
			.contains("send one request per completion");
	}

	@Test
	void batchFormShowsOneResultPerPromptLine() throws Exception {
		driver.get("http://localhost:" + this.port + "/");
		WebDriverWait wait = new WebDriverWait(driver, WAIT);
		wait.until((d) -> "true".equals(d.findElement(By.id("model")).getDomAttribute("data-loaded")));
		// The screenshot of the docs shows a streamed answer and a batch together.
		askStreamed(wait);
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("stats"), "tokens"));
		WebElement prompts = driver.findElement(By.id("batch-prompts"));
		prompts.clear();
		prompts.sendKeys("What is batch inference?\nWhy match results by custom_id?");
		driver.findElement(By.id("run-batch")).click();
		wait.until((d) -> "completed".equals(d.findElement(By.id("batch-stats")).getDomAttribute("data-status")));
		assertThat(driver.findElements(By.cssSelector("#batch-results .custom-id"))).extracting(WebElement::getText)
			.containsExactly("prompt-1", "prompt-2");
		assertThat(driver.findElements(By.cssSelector("#batch-results .text"))).extracting(WebElement::getText)
			.containsExactly("You said: What is batch inference?", "You said: Why match results by custom_id?");
		assertThat(driver.findElement(By.id("batch-stats")).getText()).contains("completed").contains("2 results");
		saveScreenshot();
	}

	/**
	 * Disables the class, before its Spring context or browser start, when Chromium or
	 * ChromeDriver is missing, so that the build reports it as skipped with the reason. An
	 * assumption in {@code @BeforeAll} would abort the class instead, which surefire
	 * reports as "Tests run: 0" with no reason.
	 */
	static class BrowserInstalled implements ExecutionCondition {

		static File chromium() {
			return new File(System.getenv().getOrDefault("CHROME_BIN", "/usr/bin/chromium"));
		}

		static File chromedriver() {
			return new File(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
		}

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			List<String> missing = Stream.of(chromium(), chromedriver()).filter((file) -> !file.canExecute())
				.map(File::toString)
				.toList();
			if (missing.isEmpty()) {
				return ConditionEvaluationResult.enabled("Chromium and ChromeDriver found");
			}
			String reason = "chromium and chromium-driver not found (no executable " + String.join(" or ", missing)
					+ "; CHROME_BIN and CHROMEDRIVER name other paths): "
					+ "apt-get install chromium chromium-driver (.ci/run does) to run the browser test";
			// Surefire's console shows only the count of skipped tests; the reason would
			// otherwise be in target/surefire-reports alone.
			System.out.println(context.getDisplayName() + " skipped: " + reason);
			return ConditionEvaluationResult.disabled(reason);
		}

	}

	private static void saveScreenshot() throws Exception {
		// Tall enough for the whole page: Chromium captures the window only.
		driver.manage().window().setSize(new Dimension(1100, 1200));
		File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
		Path target = Path.of("target", "sample-page.png");
		Files.createDirectories(target.getParent());
		Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

}
