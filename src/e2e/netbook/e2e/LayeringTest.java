package netbook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the module layout promises, checked on the sources: the DSL module names no engine class,
 * nothing outside the runtime reaches into {@code netbook.internal}, and no file of the product
 * cites a document outside this repository.
 */
class LayeringTest {
    static final Path ROOT = Path.of(System.getProperty("netbook.root", "..")).toAbsolutePath().normalize();

    /** Files under {@code dir} (relative to the root) whose name ends with one of {@code suffixes}, build output excluded. */
    static List<Path> files(String dir, String... suffixes) {
        Path start = ROOT.resolve(dir);
        assertTrue(Files.isDirectory(start), start + " is missing");
        try (Stream<Path> s = Files.walk(start)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !ROOT.relativize(p).toString().contains("target/"))
                    .filter(p -> Stream.of(suffixes).anyMatch(x -> p.getFileName().toString().endsWith(x)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> containing(List<Path> files, String text) {
        return files.stream().filter(p -> {
            try {
                return Files.readString(p).contains(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).map(p -> ROOT.relativize(p).toString()).toList();
    }

    @Test
    void theDslModuleNamesNoEngineClass() {
        List<Path> main = files("dsl/src/main", ".java");
        assertTrue(main.size() > 50, "dsl/src/main has " + main.size() + " Java files");
        assertEquals(List.of(), containing(main, "ai.djl"));
        assertEquals(List.of(), containing(files("dsl", "pom.xml").stream().filter(p -> p.getParent().equals(ROOT.resolve("dsl"))).toList(), "ai.djl"));
    }

    @Test
    void onlyTheRuntimeUsesItsInternals() {
        // The bench (src/bench) measures the compiler's internals on purpose and is not checked.
        // A use is an import or a qualified name of one of its types; the kernel may name the package
        // in the hint it prints when a cell tries (and a test checks that the cell fails).
        java.util.regex.Pattern use = java.util.regex.Pattern.compile("import\\s+(static\\s+)?netbook\\.internal|netbook\\.internal(\\.[a-z]\\w*)*\\.[A-Z]");
        for (String dir : List.of("recipes/src", "recipes/spark/src", "kernel/src", "notebooks", "dsl/src")) {
            List<String> users = files(dir, ".java", ".ipynb", ".jsh").stream().filter(p -> {
                try {
                    return use.matcher(Files.readString(p)).find();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).map(p -> ROOT.relativize(p).toString()).toList();
            assertEquals(List.of(), users, dir);
        }
        assertTrue(use.matcher("var c = netbook.internal.djl.Compiler.class;").find() && use.matcher("import netbook.internal.djl.*;").find()
                && !use.matcher("netbook.internal is the runtime's implementation").find());
    }

    @Test
    void nothingCitesADocumentOutsideTheRepository() {
        List<Path> all = Stream.of("dsl", "kernel", "recipes", "notebooks", "src")
                .flatMap(d -> files(d, ".java", ".ipynb", ".md", ".py", ".jsh").stream()).toList();
        List<Path> top = List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md"), ROOT.resolve("RESULTS.md"), ROOT.resolve("netbook"));
        // Spelled in pieces so that this file does not match itself.
        String shared = "sha" + "red";
        for (String outside : List.of("../" + shared, shared + "/docs", shared + "/repro")) {
            assertEquals(List.of(), containing(Stream.concat(all.stream(), top.stream()).toList(), outside), outside);
        }
    }
}
