package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class SessionTest {
    static Session session;

    @BeforeAll
    static void start() {
        session = Session.start();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void lastExpressionIsTheLiveValue() throws CellError {
        Session.Result r = session.eval("int a = 6;\nint b = 7;\na * b", "In[1]", 1);
        assertTrue(r.hasValue());
        assertEquals(42, r.value());
    }

    @Test
    void expressionCellsLeaveNoTempVariablesBehindSoLaterCellsStayFast() throws CellError {
        for (int i = 0; i < 3; i++) {
            assertEquals(2, session.eval("1 + 1", "In[" + i + "]", 1).value());
        }
        session.eval("int kept = 5;", "In[4]", 1);
        java.util.List<String> names = session.variables().stream().map(v -> v[0]).toList();
        assertTrue(names.contains("kept"), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.startsWith("$")), names.toString());
    }

    @Test
    void declarationsAndStatementsShowNothing() throws CellError {
        assertFalse(session.eval("int c = 1;", "In[1]", 1).hasValue());
        assertFalse(session.eval("c = 2;", "In[1]", 1).hasValue());
    }

    @Test
    void startupImportsAreReady() throws CellError {
        Object t = session.eval("Table.create(\"t\", IntColumn.create(\"a\", 1, 2))", "In[1]", 1).value();
        assertInstanceOf(Table.class, t);
        Object net = session.eval("Net.input(1, 28, 28).add(conv(16, 3).padding(1), relu(), flatten(), linear(10))", "In[2]", 1).value();
        assertEquals("netbook.dsl.Net", net.getClass().getName());
    }

    @Test
    void runtimeErrorsNameTheCellLineAndPutTheMessageFirst() {
        CellError e = assertThrows(CellError.class, () -> session.eval(
                "int d = 0;\n// a comment\n\nint f = 10 / d;", "In[7]", 1));
        assertEquals("ArithmeticException", e.ename());
        assertEquals("/ by zero", e.evalue());
        assertTrue(e.traceback().get(0).contains("java.lang.ArithmeticException: / by zero"), e.traceback().toString());
        assertTrue(e.traceback().contains("    at In[7] line 4"), e.traceback().toString());
    }

    @Test
    void framesInsideMethodsPointAtTheCellThatDefinedThem() throws CellError {
        session.eval("\nint half(int x) {\n    if (x < 0) throw new IllegalArgumentException(\"negative: \" + x);\n    return x / 2;\n}", "In[3]", 1);
        CellError e = assertThrows(CellError.class, () -> session.eval("half(-4)", "In[4]", 1));
        assertEquals("IllegalArgumentException", e.ename());
        assertEquals("negative: -4", e.evalue());
        assertTrue(e.traceback().contains("    at half (In[3] line 3)"), e.traceback().toString());
        assertTrue(e.traceback().contains("    at In[4] line 1"), e.traceback().toString());
    }

    @Test
    void compileErrorsUnderlineTheSpan() {
        CellError e = assertThrows(CellError.class, () -> session.eval("int g = 1;\nint h = nope + 1;", "In[5]", 1));
        assertEquals("CompileError", e.ename());
        assertEquals("cannot find symbol", e.evalue());
        List<String> tb = e.traceback();
        assertTrue(tb.get(0).contains("CompileError: cannot find symbol"), tb.toString());
        int at = tb.indexOf("    int h = nope + 1;");
        assertTrue(at > 0, tb.toString());
        assertTrue(tb.get(at - 1).contains("In[5] line 2, column 9"), tb.toString());
        assertEquals("            \u001b[0;31m^^^^\u001b[0m", tb.get(at + 1));
    }

    @Test
    void aFailingCellLeavesTheSessionUsable() throws CellError {
        assertThrows(CellError.class, () -> session.eval("throw new RuntimeException(\"boom\");", "In[1]", 1));
        assertEquals(3, session.eval("1 + 2", "In[2]", 1).value());
    }

    @Test
    void interruptStopsATightLoop() throws Exception {
        CompletableFuture<CellError> failure = CompletableFuture.supplyAsync(() -> {
            try {
                session.eval("while (true) {}", "In[9]", 1);
                return null;
            } catch (CellError e) {
                return e;
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!session.isRunning() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        session.stop();
        CellError e = failure.get(30, TimeUnit.SECONDS);
        assertEquals("Interrupted", e.ename());
        assertEquals(5, session.eval("2 + 3", "In[10]", 1).value());
    }

    @Test
    void interruptEndsASleep() throws Exception {
        CompletableFuture<CellError> failure = CompletableFuture.supplyAsync(() -> {
            try {
                session.eval("Thread.sleep(600_000);", "In[9]", 1);
                return null;
            } catch (CellError e) {
                return e;
            }
        });
        while (!session.isRunning()) {
            Thread.onSpinWait();
        }
        session.stop();
        assertEquals("Interrupted", failure.get(30, TimeUnit.SECONDS).ename());
    }

    @Test
    void completeness() {
        assertEquals("complete", session.isComplete("int x = 1;").status());
        assertEquals("complete", session.isComplete("1 + 1").status());
        Session.Completion open = session.isComplete("for (int i = 0; i < 3; i++) {");
        assertEquals("incomplete", open.status());
        assertEquals("    ", open.indent());
        assertEquals("        ", session.isComplete("class A {\n  void m() {").indent());
        assertEquals("invalid", session.isComplete("}").status());
        assertEquals("complete", session.isComplete("%time 1 + 1").status());
    }

    @Test
    void completionWorksInTheSnippetUnderTheCursor() {
        String code = "int k = 1;\nSystem.out.prin";
        Session.Matches m = session.complete(code, code.length());
        assertTrue(m.matches().contains("println("), m.matches().toString());
        assertEquals(code.length() - "prin".length(), m.start());
        assertEquals(code.length(), m.end());
    }

    @Test
    void documentationOfAMethod() {
        List<String> docs = session.documentation("System.out.println", "System.out.println".length(), false);
        assertFalse(docs.isEmpty());
        assertTrue(docs.get(0).contains("println"), docs.toString());
    }

    @Test
    void variablesAreListed() throws CellError {
        session.eval("String greeting = \"hi\";", "In[1]", 1);
        assertTrue(session.variables().stream().anyMatch(v -> v[0].equals("greeting") && v[1].equals("String") && v[2].equals("\"hi\"")));
    }
}
