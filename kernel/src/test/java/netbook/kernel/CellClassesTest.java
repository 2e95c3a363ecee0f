package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellClassesTest {

    /** The real Gson jar this test runs with (the kernel's messaging needs it), copied into a launcher-like lib/. */
    private static Path gsonInto(Path lib) throws Exception {
        String jar = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> new File(p).getName().matches("gson-[0-9.]+\\.jar")).findFirst().orElseThrow();
        Files.createDirectories(lib);
        return Files.copy(Path.of(jar), lib.resolve(new File(jar).getName()));
    }

    @Test
    void aJarIsUnpackedOnceAndCellsCompileAgainstItsFolderWhileItIsCurrent(@TempDir Path tmp) throws Exception {
        Path lib = tmp.resolve("dist/target/lib");
        Path gson = gsonInto(lib);
        // one of the kernel's own jars: cells never compile against it, so it is not unpacked
        Files.copy(gson, lib.resolve("jeromq-0.6.0.jar"));

        assertEquals(1, CellClasses.unpack(lib));
        Path folder = tmp.resolve("dist/target/" + CellClasses.FOLDER + "/" + gson.getFileName().toString().replace(".jar", ""));
        assertTrue(Files.isRegularFile(folder.resolve("com/google/gson/Gson.class")), "Gson's classes are unpacked");
        assertFalse(Files.exists(folder.resolve("META-INF")), "javac reads no META-INF from a class-path jar");
        assertFalse(Files.exists(tmp.resolve("dist/target/" + CellClasses.FOLDER + "/jeromq-0.6.0")));
        assertEquals(folder.toString(), Session.cellClasspath(gson.toString()));
        assertEquals(0, CellClasses.unpack(lib), "a current folder is kept");

        // A cell compiles against the folder alone (the JVM's class path narrowed to it, as Session does).
        String jvm = System.getProperty("java.class.path");
        JShell js;
        synchronized (System.class) {
            System.setProperty("java.class.path", Session.cellClasspath(gson.toString()));
            try {
                js = JShell.builder().executionEngine("local").build();
            } finally {
                System.setProperty("java.class.path", jvm);
            }
        }
        try (js) {
            List<SnippetEvent> ev = js.eval("String json = new com.google.gson.Gson().toJson(java.util.List.of(1, 2));");
            assertEquals(Snippet.Status.VALID, ev.get(0).status(), js.diagnostics(ev.get(0).snippet()).map(d -> d.getMessage(null)).toList().toString());
            assertEquals("\"[1,2]\"", js.eval("json").get(0).value());
        }

        // A rebuilt jar: the stale folder is never handed to javac, and the next unpack replaces it.
        Files.setLastModifiedTime(gson, FileTime.fromMillis(Files.getLastModifiedTime(gson).toMillis() + 5000));
        assertEquals(gson.toString(), Session.cellClasspath(gson.toString()));
        assertEquals(1, CellClasses.unpack(lib));
        assertEquals(folder.toString(), Session.cellClasspath(gson.toString()));

        // A jar that is gone takes its folder and stamp with it.
        Files.delete(gson);
        assertEquals(0, CellClasses.unpack(lib));
        assertFalse(Files.exists(folder));
        assertFalse(Files.exists(folder.resolveSibling(folder.getFileName() + ".from")));
    }

    @Test
    void aJarThatCannotBeUnpackedStaysAJarAndLeavesNoFolder(@TempDir Path tmp) throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Path evil = lib.resolve("evil-1.0.jar");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(evil))) {
            z.putNextEntry(new ZipEntry("ok/A.class"));
            z.write(new byte[] {1, 2, 3});
            z.putNextEntry(new ZipEntry("../../outside/B.class"));
            z.write(new byte[] {4});
        }
        Path notAZip = Files.writeString(lib.resolve("broken-1.0.jar"), "not a zip", StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, CellClasses.unpack(lib));
        } finally {
            System.setErr(old);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("cells will compile against evil-1.0.jar itself") && said.contains("points outside the folder"), said);
        assertTrue(said.contains("cells will compile against broken-1.0.jar itself"), said);
        assertFalse(Files.exists(tmp.resolve("outside")), "nothing is written outside the folder");
        try (var left = Files.list(tmp.resolve(CellClasses.FOLDER))) {
            assertEquals(List.of(), left.toList(), "no half-written folder is left");
        }
        assertEquals(evil + File.pathSeparator + notAZip, Session.cellClasspath(evil + File.pathSeparator + notAZip));
    }
}
