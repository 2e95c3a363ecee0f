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
    void cellsCompileAgainstTheLibrariesButNotTheKernelsOwnMachinery() throws CellError {
        String sep = java.io.File.pathSeparator;
        String jvm = String.join(sep, "/r/lib/netbook-dsl-0.1.0.jar", "/r/lib/jeromq-0.6.0.jar", "/r/lib/api-0.33.0.jar",
                "/r/lib/maven-resolver-impl-2.0.25.jar", "/r/lib/maven-resolver-supplier-mvn3-2.0.25.jar", "/r/lib/tablesaw-core-0.44.1.jar", "/r/lib/icu4j-74.2.jar",
                "/r/lib/netbook-kernel-0.1.0.jar", "/r/lib/fastutil-8.5.13.jar", "/r/classes");
        assertEquals(String.join(sep, "/r/lib/netbook-dsl-0.1.0.jar", "/r/lib/api-0.33.0.jar", "/r/lib/tablesaw-core-0.44.1.jar",
                "/r/lib/fastutil-8.5.13.jar", "/r/classes"), Session.cellClasspath(jvm));
        assertEquals("tech.tablesaw.api.Table", String.valueOf(session.eval("Table.class.getName()", "In[1]", 1).value()));
        CellError e = assertThrows(CellError.class, () -> session.eval("org.zeromq.ZMQ.class", "In[2]", 1));
        assertTrue(e.getMessage().contains("org.zeromq"), e.getMessage());
    }

    @Test
    void cellsCompileAgainstTheRuntimesCellsViewWhereOneIsBuilt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        // The launcher's layout (lib/cells/) and Maven's (the view beside the jar, in target/ or the
        // local repository); a jar without a view, and a folder of classes, stay as they are.
        java.nio.file.Path lib = java.nio.file.Files.createDirectories(dir.resolve("lib/cells"));
        java.nio.file.Path target = java.nio.file.Files.createDirectories(dir.resolve("target"));
        for (java.nio.file.Path p : java.util.List.of(lib.resolve("netbook-runtime-0.4.0-cells.jar"),
                target.resolve("netbook-runtime-0.4.0-cells.jar"), dir.resolve("lib/netbook-runtime-0.4.0.jar"),
                target.resolve("netbook-runtime-0.4.0.jar"), dir.resolve("lib/netbook-dsl-0.4.0.jar"))) {
            java.nio.file.Files.write(p, new byte[0]);
        }
        String sep = java.io.File.pathSeparator;
        String jvm = String.join(sep, dir.resolve("lib/netbook-dsl-0.4.0.jar").toString(),
                dir.resolve("lib/netbook-runtime-0.4.0.jar").toString(), target.resolve("netbook-runtime-0.4.0.jar").toString(),
                dir.resolve("classes").toString());
        assertEquals(String.join(sep, dir.resolve("lib/netbook-dsl-0.4.0.jar").toString(),
                lib.resolve("netbook-runtime-0.4.0-cells.jar").toString(), target.resolve("netbook-runtime-0.4.0-cells.jar").toString(),
                dir.resolve("classes").toString()), Session.cellClasspath(jvm));
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
        session.eval("var spin = new java.util.concurrent.atomic.AtomicBoolean(true);", "In[8]", 1);
        CompletableFuture<CellError> failure = CompletableFuture.supplyAsync(() -> {
            try {
                session.eval("while (spin.get()) {}", "In[9]", 1);   // never looks at its interrupt
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
        if (Runtime.version().feature() >= 20) {
            // No Thread.stop: the loop is left running on its own thread and the session moves on.
            assertTrue(e.evalue().contains("cannot stop a thread: it goes on in the background (1 such cell now)"), e.evalue());
        } else {
            assertEquals("the cell was interrupted", e.evalue());
        }
        assertEquals(5, session.eval("2 + 3", "In[10]", 1).value());
        session.eval("spin.set(false);", "In[11]", 1);   // ends the loop where it still runs
    }

    @Test
    void anInterruptedTrainingCellReleasesItsArraysAndThreads() throws Exception {
        java.util.function.IntSupplier live = () -> {
            try (ai.djl.ndarray.NDManager probe = ai.djl.ndarray.NDManager.newBaseManager()) {
                return probe.getParentManager().getManagedArrays().size();
            }
        };
        session.eval("var trainRnd = new Random(3);\nfloat[] tx = new float[4096 * 8];\nint[] ty = new int[4096];\n"
                + "for (int i = 0; i < 4096; i++) { for (int j = 0; j < 8; j++) tx[i * 8 + j] = (float) trainRnd.nextGaussian(); ty[i] = tx[i * 8] > 0 ? 1 : 0; }\n"
                + "var longData = new ArrayDataset(\"long\", tx, Shape.of(8), ty, 2, null);", "In[20]", 1);
        int before = live.getAsInt();
        CompletableFuture<CellError> failure = CompletableFuture.supplyAsync(() -> {
            try {
                session.eval("Fit.of(Net.input(8).add(linear(64), relu(), linear(2)), longData).epochs(10_000).batchSize(8)"
                        + ".progress(Progress.none()).run();", "In[21]", 1);
                return null;
            } catch (CellError e) {
                return e;
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (live.getAsInt() <= before && System.nanoTime() < deadline) Thread.sleep(20);   // training has started
        Thread.sleep(300);
        session.stop();
        CellError e = failure.get(60, TimeUnit.SECONDS);
        assertEquals("Interrupted", e.ename());
        assertEquals("the cell was interrupted", e.evalue(), "the loop stopped between two steps, not by force");
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((live.getAsInt() != before || prefetchThreads() > 0) && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(before, live.getAsInt(), "engine arrays alive before the training cell vs after its interrupt");
        assertEquals(0, prefetchThreads(), "the batch prefetch thread ended");
    }

    private static long prefetchThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("netbook-prefetch") && t.isAlive()).count();
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!session.isRunning() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        session.stop();
        assertEquals("Interrupted", failure.get(30, TimeUnit.SECONDS).ename());
    }

    @Test
    void anInterruptWaitsForALibrarysStaticInitializerSoTheClassStaysUsable() throws Exception {
        CompletableFuture<Object> cell = CompletableFuture.supplyAsync(() -> {
            try {
                return session.eval("netbook.kernel.fixtures.SlowInit.VALUE", "In[30]", 1).value();
            } catch (CellError e) {
                return e;
            }
        });
        assertTrue(netbook.kernel.fixtures.SlowInit.Entered.LATCH.await(30, TimeUnit.SECONDS), "the cell began initialising the class");
        session.stop();
        Object first = cell.get(60, TimeUnit.SECONDS);
        // interrupted inside the initializer, the class would fail ("Could not initialize class") in every later cell
        assertEquals(42, session.eval("netbook.kernel.fixtures.SlowInit.VALUE", "In[31]", 1).value(), "first cell gave " + first);
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
        assertEquals("invalid", session.isComplete("class { }").status(), "complete but unparseable");
        assertEquals("invalid", session.isComplete("int 3x = 1;").status());
        assertEquals("invalid", session.isComplete("int ok = 1;\nclass { }").status(), "a later snippet decides too");
        assertEquals("complete", session.isComplete("int y = notDeclaredYet;").status(), "parseable: runs and reports the name");
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
        assertTrue(session.variables().stream().anyMatch(v -> v[0].equals("greeting") && v[1].equals("String") && v[3].equals("\"hi\"")));
    }

    @Test
    void variablesShowTheShapeOfArraysNetworksTablesAndNdArrays() throws CellError {
        session.eval("var shapeNet = Net.input(1, 28, 28).add(flatten(), linear(10));\n"
                + "double[][] grid = new double[3][4];\n"
                + "var shapeTable = Table.create(\"t\", IntColumn.create(\"a\", 1, 2));\n"
                + "var shapeManager = NDManager.newBaseManager();\n"
                + "var ones = shapeManager.ones(new ai.djl.ndarray.types.Shape(2, 5));", "In[1]", 1);
        java.util.Map<String, String> shapes = new java.util.HashMap<>();
        for (String[] v : session.variables()) shapes.put(v[0], v[2]);
        assertEquals("(N, 1, 28, 28) -> (N, 10), 7,850 params", shapes.get("shapeNet"));
        assertEquals("[3 x 4]", shapes.get("grid"));
        assertEquals("2 rows x 1 columns", shapes.get("shapeTable"));
        assertEquals("(2, 5) float32", shapes.get("ones"));
        session.eval("shapeManager.close();", "In[2]", 1);
    }

    @Test
    void systemExitEndsTheCellWithAnErrorAndTheSessionGoesOn() throws CellError {
        CellError direct = assertThrows(CellError.class, () -> session.eval("int before = 1;\nSystem.exit(3);", "In[7]", 1));
        assertEquals("SystemExitNotAllowed", direct.ename());
        assertEquals("System.exit(3) is not allowed in a notebook cell; restart the kernel instead", direct.evalue());
        assertTrue(String.join("\n", direct.traceback()).contains("In[7] line 2"), String.join("\n", direct.traceback()));
        // Through a method declared in an earlier cell, a method reference and a lambda.
        session.eval("void quit(int code) { System.exit(code); }", "In[8]", 1);
        CellError viaMethod = assertThrows(CellError.class, () -> session.eval("quit(4)", "In[9]", 1));
        assertEquals("System.exit(4) is not allowed in a notebook cell; restart the kernel instead", viaMethod.evalue());
        CellError viaReference = assertThrows(CellError.class,
                () -> session.eval("java.util.function.IntConsumer c = System::exit;\nc.accept(5);", "In[10]", 1));
        assertEquals("SystemExitNotAllowed", viaReference.ename());
        CellError viaLambda = assertThrows(CellError.class, () -> session.eval("Runnable r = () -> System.exit(6);\nr.run();", "In[11]", 1));
        assertEquals("SystemExitNotAllowed", viaLambda.ename());
        assertEquals(42, session.eval("before * 42", "In[12]", 1).value(), "the session and its variables live on");
    }

    @Test
    void valueCellsShowTheSameValuesAndNothingMoreThroughTheDeclaration() throws CellError {
        assertEquals(2, session.eval("1 + 1", "In[1]", 1).value());
        assertEquals("abc", session.eval("\"ab\" + \"c\"", "In[2]", 1).value());
        assertEquals(List.of(1, 2), session.eval("List.of(1, 2)", "In[3]", 1).value());
        session.eval("int x = 1;", "In[4]", 1);
        Session.Result assign = session.eval("x = 3", "In[5]", 1);
        assertTrue(!assign.hasValue() || assign.value() == null, "an assignment shows nothing, as in JShell: " + assign);
        assertEquals(3, session.eval("x", "In[6]", 1).value());
        // a void call without ';' falls back to JShell's road: no value, no error
        Session.Result voidCall = session.eval("System.out.print(\"\")", "In[7]", 1);
        org.junit.jupiter.api.Assertions.assertNull(voidCall.value());
        // null is a value that shows nothing
        org.junit.jupiter.api.Assertions.assertNull(session.eval("(String) null", "In[8]", 1).value());
        List<String> names = session.variables().stream().map(v -> v[0]).toList();
        assertTrue(names.stream().noneMatch(n -> n.startsWith("$")), "no value variable is left behind: " + names);
    }

    @Test
    void valueCellErrorsReadAsJShellsOwnWithTheCellsLine() {
        CellError compile = assertThrows(CellError.class, () -> session.eval("int y = 1;\nundefinedName + 1", "In[9]", 1));
        String compileTrace = String.join("\n", compile.traceback());
        assertTrue(compileTrace.contains("undefinedName") && compileTrace.contains("In[9] line 2, column 1"), compileTrace);
        CellError runtime = assertThrows(CellError.class, () -> session.eval("\n\nInteger.parseInt(\"x\")", "In[10]", 1));
        assertTrue(runtime.getMessage().contains("NumberFormatException"), runtime.getMessage());
        assertTrue(String.join("\n", runtime.traceback()).contains("    at In[10] line 3"), String.join("\n", runtime.traceback()));
        // written as a statement, the call takes JShell's road (a $N variable), which a failure must not leave behind
        assertThrows(CellError.class, () -> session.eval("Integer.parseInt(\"y\");", "In[11]", 1));
        List<String> names = session.variables().stream().map(v -> v[0]).toList();
        assertTrue(names.stream().noneMatch(n -> n.startsWith("$")), names.toString());
    }
}
