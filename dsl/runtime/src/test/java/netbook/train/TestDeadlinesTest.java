package netbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every test of the build has a deadline: the root pom gives JUnit a default timeout, so a test
 * that hangs fails instead of eating CI's time. This checks the setting reaches the test engine
 * (it fails if the pom loses it, or if a run disables timeouts).
 */
class TestDeadlinesTest {
    private ExtensionContext context;

    @RegisterExtension
    final BeforeEachCallback capture = c -> context = c;

    @Test
    void everyTestRunsUnderADefaultTimeout() {
        String deadline = context.getConfigurationParameter("junit.jupiter.execution.timeout.default").orElse("none");
        assertTrue(deadline.matches("\\d+ ?[smh]"), "junit.jupiter.execution.timeout.default is " + deadline);
        assertEquals("enabled", context.getConfigurationParameter("junit.jupiter.execution.timeout.mode").orElse("enabled"));
    }
}
