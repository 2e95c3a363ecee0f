package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * %maven against a local repository of real, compiled artifacts: greeter 1.0 needs words 1.0
 * (a transitive dependency), and a gson of another version than the kernel's. Resolution runs
 * offline, so the test needs no network.
 */
class MavenDepsTest {
    static Session session;
    @TempDir static Path repo;

    @BeforeAll
    static void start() throws Exception {
        session = Session.start();
        install("words", "package test.netbook; public class Words { public static final String HELLO = \"hello\"; }", "");
        install("greeter", "package test.netbook; public class Greeter { public static String hello() { return Words.HELLO + \", notebook\"; } }",
                "<dependencies><dependency><groupId>test.netbook</groupId><artifactId>words</artifactId><version>${words.version}</version></dependency>"
                        + "<dependency><groupId>org.example</groupId><artifactId>only-for-tests</artifactId><version>9</version><scope>test</scope></dependency>"
                        + "</dependencies><properties><words.version>1.0</words.version></properties>");
        Path gson = repo.resolve("com/google/code/gson/gson/2.10.1");
        Files.createDirectories(gson);
        jar(gson.resolve("gson-2.10.1.jar"), Map.of());
        Files.writeString(gson.resolve("gson-2.10.1.pom"), pom("com.google.code.gson", "gson", "2.10.1", ""));
        Magics.mavenDeps = () -> new MavenDeps(repo, false, Map.of("com.google.code.gson:gson", "2.11.0"));
    }

    @AfterAll
    static void stop() {
        Magics.mavenDeps = MavenDeps::forKernel;
        session.close();
    }

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Magics magics = new Magics(session, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    @AfterEach
    void clear() {
        bytes.reset();
    }

    private static String pom(String g, String a, String v, String extra) {
        return "<project><modelVersion>4.0.0</modelVersion><groupId>" + g + "</groupId><artifactId>" + a + "</artifactId><version>" + v
                + "</version>" + extra + "</project>";
    }

    /** Compiles one class into test.netbook:NAME:1.0 in the repository, with a pom holding {@code extra}. */
    private static void install(String name, String source, String extra) throws Exception {
        Path src = Files.createTempDirectory("maven-src");
        String cls = source.replaceAll("(?s).*public class (\\w+).*", "$1");
        Path file = src.resolve(cls + ".java");
        Files.writeString(file, source);
        Path out = src.resolve("classes");
        Files.createDirectories(out);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(), "-cp", repo.resolve("test/netbook/words/1.0/words-1.0.jar").toString(), file.toString());
        assertEquals(0, rc, "compiling " + cls);
        Path dir = repo.resolve("test/netbook/" + name + "/1.0");
        Files.createDirectories(dir);
        jar(dir.resolve(name + "-1.0.jar"), Map.of("test/netbook/" + cls + ".class", Files.readAllBytes(out.resolve("test/netbook/" + cls + ".class"))));
        Files.writeString(dir.resolve(name + "-1.0.pom"), pom("test.netbook", name, "1.0", extra));
    }

    private static void jar(Path file, Map<String, byte[]> entries) throws Exception {
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(file))) {
            for (var e : entries.entrySet()) {
                j.putNextEntry(new JarEntry(e.getKey()));
                j.write(e.getValue());
                j.closeEntry();
            }
        }
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anArtifactComesWithItsDependenciesAndRuns() throws CellError {
        magics.run("%maven test.netbook:greeter:1.0", "In[1]");
        assertTrue(printed().contains("Added greeter-1.0.jar") && printed().contains("Added words-1.0.jar"), printed());
        assertEquals("hello, notebook", magics.run("test.netbook.Greeter.hello()", "In[2]").value());
    }

    @Test
    void anotherVersionOfWhatNetbookShipsIsReportedNotLoaded() throws CellError {
        magics.run("%maven com.google.code.gson:gson:2.10.1", "In[1]");
        assertTrue(printed().contains("Not loaded, a different version of what Netbook ships (two in one JVM break both): "
                + "com.google.code.gson:gson:2.10.1 (Netbook ships 2.11.0)"), printed());
        assertTrue(!printed().contains("Added"), printed());
    }

    @Test
    void whatNeitherRepositoryHasIsAOneLineError() {
        CellError e = assertThrows(CellError.class, () -> magics.run("%maven test.netbook:missing:1.0", "In[1]"));
        assertEquals("MavenError", e.ename());
        assertTrue(e.evalue().startsWith("%maven: cannot resolve test.netbook:missing:1.0: "), e.evalue());
        assertTrue(e.evalue().contains("the local repository " + repo + " lacks it"), e.evalue());
        assertTrue(!e.evalue().contains("\n"), "one line");
        assertEquals("%maven: 'not-a-coordinate' is not group:artifact:version",
                assertThrows(CellError.class, () -> magics.run("%maven not-a-coordinate", "In[1]")).evalue());
    }

    @Test
    void aPomGivesItsCompileAndRuntimeDependencies() throws Exception {
        String xml = Files.readString(repo.resolve("test/netbook/greeter/1.0/greeter-1.0.pom"));
        assertEquals(List.of("test.netbook:words:1.0"), MavenDeps.pomDependencies(xml, "greeter"), "test scope left out, ${property} filled in");
        magics.run("%%loadFromPOM\n" + xml, "In[1]");
        assertTrue(printed().contains("words-1.0.jar"), printed());
        Path pom = repo.resolve("pom-file.xml");
        Files.writeString(pom, xml);
        bytes.reset();
        magics.run("%maven --file " + pom, "In[2]");
        assertTrue(printed().contains("words-1.0.jar"), printed());
    }

    @Test
    void theKernelsOwnJarsAreKnownByGroupAndArtifact() {
        Map<String, String> shipped = MavenDeps.shippedArtifacts(System.getProperty("java.class.path"));
        assertEquals("2.11.0", shipped.get("com.google.code.gson:gson"), shipped.keySet().toString());
        // DJL's jars carry no pom.properties: known by artifact id alone.
        assertTrue(shipped.containsKey("?:api"), shipped.keySet().toString());
    }
}
