package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Signatures compare whole (constant time), and an empty key is refused unless the kernelspec opts in. */
class MessageSigningTest {
    @Test
    void signaturesMatchOnlyWhenEveryByteDoes() {
        String sig = "3f1a" + "0".repeat(60);
        assertTrue(Connection.signatureMatches(sig, sig.getBytes(StandardCharsets.US_ASCII)));
        assertFalse(Connection.signatureMatches(sig, ("3f1b" + "0".repeat(60)).getBytes(StandardCharsets.US_ASCII)));
        assertFalse(Connection.signatureMatches(sig, sig.substring(0, 63).getBytes(StandardCharsets.US_ASCII)), "a prefix is not a match");
        assertFalse(Connection.signatureMatches(sig, new byte[0]));
    }

    @Test
    void anEmptyKeyIsRefusedUnlessAllowed() {
        String refused = Kernel.keyProblem("", false);
        assertTrue(refused != null && refused.contains("--allow-empty-key"), String.valueOf(refused));
        assertTrue(Kernel.keyProblem(null, false) != null);
        assertNull(Kernel.keyProblem("", true));
        assertNull(Kernel.keyProblem("a0b1c2", false));
    }

    @Test
    void aQuestionMarkCellAsksForThePager() {
        assertTrue("Math.max".equals(NetbookKernel.pagerTarget("?Math.max")));
        assertTrue("Math.max".equals(NetbookKernel.pagerTarget("  Math.max?  ")));
        assertNull(NetbookKernel.pagerTarget("1 + 1"));
        assertNull(NetbookKernel.pagerTarget("int a = 1;\n?a"), "only one-line cells");
        assertNull(NetbookKernel.pagerTarget("?"));
    }

    @Test
    void aSessionThatFailedToStartIsACellErrorNamingTheCause() {
        var failed = new java.util.concurrent.CompletableFuture<Session>();
        failed.completeExceptionally(new IllegalStateException("no JShell here"));
        CellError e = org.junit.jupiter.api.Assertions.assertThrows(CellError.class, () -> new NetbookKernel(failed).sessionForCell());
        org.junit.jupiter.api.Assertions.assertEquals("SessionFailed", e.ename());
        org.junit.jupiter.api.Assertions.assertEquals("the Java session could not start (IllegalStateException: no JShell here); "
                + "the kernel stops now, start it again", e.evalue());
    }
}
