package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The build runs tests with {@link IdleIndexing#OPENS}, as the installed kernel does. */
class IdleIndexingTest {
    JShell jshell;
    SourceCodeAnalysis analysis;
    IdleIndexing indexing;

    @BeforeEach
    void open() {
        jshell = JShell.builder().executionEngine("local").build();
        analysis = jshell.sourceCodeAnalysis();
        indexing = new IdleIndexing(analysis, 100);
    }

    @AfterEach
    void close() {
        indexing.close();
        jshell.close();
    }

    /** JShell's own count of suspensions: its indexer waits while this is above zero. */
    int jshellSuspensions() throws ReflectiveOperationException {
        Field f = analysis.getClass().getDeclaredField("suspend");
        f.setAccessible(true);
        return f.getInt(analysis);
    }

    @Test
    void availableWhenJShellIsOpenedToTheKernel() {
        assertTrue(indexing.available(), "run with " + IdleIndexing.OPENS);
    }

    @Test
    void pausedWhileACellRunsAndResumedOnceIdle() throws Exception {
        indexing.pause();
        assertTrue(indexing.paused());
        assertEquals(1, jshellSuspensions());
        indexing.resumeAfterIdle();
        assertTrue(indexing.paused(), "not before the idle time has passed");
        Thread.sleep(600);
        assertFalse(indexing.paused());
        assertEquals(0, jshellSuspensions());
    }

    @Test
    void aCellStartingWithinTheIdleTimeKeepsItPausedOnce() throws Exception {
        indexing.pause();
        indexing.resumeAfterIdle();
        indexing.pause();
        indexing.pause();
        Thread.sleep(400);
        assertTrue(indexing.paused());
        assertEquals(1, jshellSuspensions(), "pauses do not stack");
        indexing.resumeNow();
        assertEquals(0, jshellSuspensions());
    }

    @Test
    void closingResumesBecauseJShellsIndexerThreadIsSharedBySessions() throws Exception {
        indexing.pause();
        indexing.close();
        assertEquals(0, jshellSuspensions());
        indexing.pause();
        assertFalse(indexing.paused(), "a closed pause does nothing");
    }

    @Test
    void aSessionPausesIndexingForItsCellsAndResumesItForCompletion() throws CellError {
        try (Session s = Session.start()) {
            s.eval("int z = 1;", "In[1]", 1);
            assertTrue(s.indexing().paused(), "within the idle time after a cell");
            s.complete("Strin", 5);
            assertFalse(s.indexing().paused(), "completion wants the index");
        }
    }
}
