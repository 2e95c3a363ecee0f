package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class MagicsTest {
    static Session session;
    ByteArrayOutputStream bytes;
    Magics magics;

    @BeforeAll
    static void start() {
        session = Session.start();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @BeforeEach
    void fresh() {
        bytes = new ByteArrayOutputStream();
        magics = new Magics(session, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void timeLineMagicKeepsTheValue() throws CellError {
        Session.Result r = magics.run("%time 20 + 22", "In[1]");
        assertEquals(42, r.value());
        assertTrue(out().startsWith("Wall time: "), out());
    }

    @Test
    void timeCellMagic() throws CellError {
        Session.Result r = magics.run("%%time\nint m = 2;\nm * 3", "In[1]");
        assertEquals(6, r.value());
        assertTrue(out().contains("Wall time: "), out());
    }

    @Test
    void linesAfterACellMagicKeepTheirNumbers() {
        CellError e = assertThrows(CellError.class, () -> magics.run("%%time\nint n = 1;\nint z = n / 0;", "In[2]"));
        assertTrue(e.traceback().contains("    at In[2] line 3"), e.traceback().toString());
    }

    @Test
    void codeAroundLineMagicsRunsInOrder() throws CellError {
        Session.Result r = magics.run("int p = 5;\n%vars\np + 1", "In[1]");
        assertEquals(6, r.value());
    }

    @Test
    void varsIsATable() throws CellError {
        magics.run("double rate = 0.5;", "In[1]");
        Table t = (Table) magics.run("%vars", "In[2]").value();
        assertEquals(java.util.List.of("name", "type", "shape", "value"), t.columnNames());
        assertTrue(t.stringColumn("name").asList().contains("rate"));
        String html = netbook.render.Html.table(t);
        assertTrue(html.contains("<table") && html.contains("shape"), "shown as an HTML table");
    }

    @Test
    void outputLimitNeedsTheKernelAndAWholeNumber() {
        CellError e = assertThrows(CellError.class, () -> magics.run("%output_limit 5000", "In[1]"));
        assertEquals("%output_limit works in the Jupyter kernel only", e.evalue());
    }

    @Test
    void unknownMagicsAreClearErrors() {
        CellError e = assertThrows(CellError.class, () -> magics.run("%frobnicate 3", "In[1]"));
        assertEquals("UnknownMagic", e.ename());
        assertTrue(e.evalue().startsWith("%frobnicate is not a magic"), e.evalue());
        assertTrue(e.evalue().contains("%classpath"), e.evalue());
        assertEquals("UnknownMagic", assertThrows(CellError.class, () -> magics.run("%%nope\n1", "In[1]")).ename());
    }

    @Test
    void loadRunsAFileWithItsOwnLineNumbers(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("helpers.jsh");
        Files.writeString(f, "int triple(int x) { return 3 * x; }\nint w = triple(4);\nint bad = w / 0;\n");
        CellError e = assertThrows(CellError.class, () -> magics.run("%load " + f, "In[3]"));
        assertTrue(e.traceback().contains("    at helpers.jsh line 3"), e.traceback().toString());
        assertEquals(12, magics.run("w", "In[4]").value());
    }

    @Test
    void classpathAddsFoldersAndRejectsMissingFiles(@TempDir Path dir) throws Exception {
        magics.run("%classpath " + dir, "In[1]");
        assertTrue(out().contains("Added " + dir), out());
        assertTrue(session.addedClasspath().contains(dir.toAbsolutePath().normalize().toString()));
        assertEquals("ClasspathError", assertThrows(CellError.class, () -> magics.run("%classpath " + dir.resolve("none/*.jar"), "In[2]")).ename());
    }

    @Test
    void sparkNamesWhatIsMissingWhenThereIsNoSparkHome() throws Exception {
        magics.sparkHome = () -> null;   // a kernel started without the kernelspec's SPARK_HOME
        CellError e = assertThrows(CellError.class, () -> magics.run("%spark", "In[1]"));
        assertEquals("SparkError", e.ename());
        assertTrue(e.evalue().startsWith("%spark: SPARK_HOME is not set"), e.evalue());
        assertEquals("SparkError", assertThrows(CellError.class, () -> magics.run("%spark now", "In[2]")).ename());
    }

    @Test
    void sparkAddsTheJarsTheKernelDoesNotHave(@TempDir Path home) throws Exception {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(jars.resolve("spark-core-only-here.jar"), "");
        magics.sparkHome = home::toString;
        magics.run("%spark", "In[1]");
        assertTrue(out().startsWith("Spark: added 1 jars from " + jars), out());
        assertTrue(session.addedClasspath().contains(jars.resolve("spark-core-only-here.jar").toAbsolutePath().normalize().toString()));
    }

    @Test
    void classpathMakesNewClassesUsable(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/demo/Hello.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package demo; public class Hello { public static String hi() { return \"hi from a jar folder\"; } }");
        Path classes = dir.resolve("classes");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
        assertEquals(0, rc);
        magics.run("%classpath " + classes, "In[1]");
        assertEquals("hi from a jar folder", magics.run("demo.Hello.hi()", "In[2]").value());
        assertInstanceOf(String.class, magics.run("demo.Hello.hi()", "In[3]").value());
    }
}
