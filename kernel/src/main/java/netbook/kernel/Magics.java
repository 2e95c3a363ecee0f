package netbook.kernel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Runs a cell with its magics: lines starting with {@code %} are magics, run in order between the
 * Java code around them; a first line starting with {@code %%} applies to the whole cell.
 * <ul>
 * <li>{@code %classpath a.jar lib/*.jar dir} adds jars or folders; alone, lists what was added.</li>
 * <li>{@code %spark}: Spark's jars and {@code netbook.spark} (sweeps, batch prediction) from SPARK_HOME/jars.</li>
 * <li>{@code %time code} or {@code %%time}: runs the code and prints the wall time.</li>
 * <li>{@code %load file.jsh} (or .java): runs a file as if it were the cell.</li>
 * <li>{@code %vars}: the session's variables as a table. {@code %lsmagic}: this list.</li>
 * <li>{@code %maven g:a:v ...}, {@code %maven --file pom.xml}, {@code %%loadFromPOM}: artifacts and their runtime
 * dependencies from the local Maven repository or Maven Central ({@link MavenDeps}).</li>
 * </ul>
 */
final class Magics {
    static final Map<String, String> HELP = new TreeMap<>(Map.of(
            "classpath", "%classpath PATH... : add jars (globs allowed) or folders; alone, list them",
            "spark", "%spark : add Spark and netbook.spark (Sweep, SparkSweep, BatchPredict) from SPARK_HOME/jars",
            "time", "%time CODE or %%time : run and print the wall time",
            "load", "%load FILE : run a .jsh or .java file",
            "vars", "%vars : the session's variables (name, type, shape, value)",
            "lsmagic", "%lsmagic : list the magics",
            "output_limit", "%output_limit [BYTES] : cap each cell's printed output (default 1,000,000); alone, show the cap",
            "maven", "%maven GROUP:ARTIFACT:VERSION... or %maven --file pom.xml : add artifacts and their dependencies (local repository, then Maven Central); %%loadFromPOM for a POM in the cell"));

    private final Session session;
    private final PrintStream out;
    private final NetbookKernel kernel;   // null outside a Jupyter kernel (tests, warm-up)
    /** Where %spark finds Spark: the kernel's SPARK_HOME (tests set their own). */
    java.util.function.Supplier<String> sparkHome = () -> System.getenv("SPARK_HOME");

    Magics(Session session, PrintStream out) {
        this(session, out, null);
    }

    Magics(Session session, PrintStream out, NetbookKernel kernel) {
        this.session = session;
        this.out = out;
        this.kernel = kernel;
    }

    /** Runs {@code cell} (labelled {@code label} in errors); returns the value to show, if any. */
    Session.Result run(String cell, String label) throws CellError {
        String[] lines = cell.split("\n", -1);
        int blank = 0;
        while (blank < lines.length && lines[blank].isBlank()) {
            blank++;
        }
        final int first = blank;
        if (first < lines.length && lines[first].stripLeading().startsWith("%%")) {
            String head = lines[first].strip().substring(2);
            String name = head.split("\\s+", 2)[0];
            String body = String.join("\n", java.util.Arrays.copyOfRange(lines, first + 1, lines.length));
            if (name.equals("time")) {
                return timed(() -> run(body, label, first + 2));
            }
            if (name.equals("loadFromPOM")) {
                return loadDependencies(MavenDeps.pomDependencies(body, "the cell's POM"));
            }
            throw unknown("%%" + name);
        }
        return run(cell, label, 1);
    }

    private Session.Result run(String cell, String label, int firstLine) throws CellError {
        String[] lines = cell.split("\n", -1);
        Session.Result result = Session.Result.NONE;
        StringBuilder chunk = new StringBuilder();
        int chunkStart = 0;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (!l.stripLeading().startsWith("%")) {
                if (chunk.length() == 0) {
                    chunkStart = i;
                } else {
                    chunk.append('\n');
                }
                chunk.append(l);
                continue;
            }
            if (!chunk.toString().isBlank()) {
                result = session.eval(chunk.toString(), label, firstLine + chunkStart);
            }
            chunk.setLength(0);
            result = line(l.strip().substring(1), label, firstLine + i);
        }
        if (!chunk.toString().isBlank()) {
            result = session.eval(chunk.toString(), label, firstLine + chunkStart);
        }
        return result;
    }

    private Session.Result line(String magic, String label, int line) throws CellError {
        String[] parts = magic.split("\\s+", 2);
        String name = parts[0];
        String args = parts.length > 1 ? parts[1].strip() : "";
        switch (name) {
            case "time":
                return timed(() -> session.eval(args, label, line));
            case "classpath":
                return classpath(args);
            case "spark":
                return spark(args);
            case "load":
                return load(args);
            case "vars":
                return new Session.Result(vars(), true);
            case "lsmagic":
                HELP.values().forEach(out::println);
                return Session.Result.NONE;
            case "output_limit":
                return outputLimit(args);
            case "maven":
                return maven(args);
            default:
                throw unknown("%" + name);
        }
    }

    private interface Body {
        Session.Result run() throws CellError;
    }

    private Session.Result timed(Body body) throws CellError {
        long t0 = System.nanoTime();
        try {
            return body.run();
        } finally {
            double ms = (System.nanoTime() - t0) / 1e6;
            out.println(ms < 1000 ? String.format(Locale.ROOT, "Wall time: %.1f ms", ms)
                    : String.format(Locale.ROOT, "Wall time: %.2f s", ms / 1000));
        }
    }

    /**
     * Spark stays off the kernel's class path (its logging, Jackson and Netty would ride along in
     * every session); this adds it when a notebook asks. The jars come from SPARK_HOME/jars, which
     * the kernelspec sets to the checkout's recipes/spark/target/spark-home; jars the kernel
     * already has by the same name are left out.
     */
    private Session.Result spark(String args) throws CellError {
        if (!args.isBlank()) throw CellError.of("SparkError", "%spark takes no arguments, received " + args);
        String home = sparkHome.get();
        if (home == null || home.isBlank()) {
            throw CellError.of("SparkError", "%spark: SPARK_HOME is not set; ./netbook kernel install from a checkout sets it"
                    + " to recipes/spark/target/spark-home (made by ./netbook build)");
        }
        Path jars = Path.of(home, "jars");
        if (!Files.isDirectory(jars)) throw CellError.of("SparkError", "%spark: " + jars + " is not a folder of jars");
        java.util.Set<String> present = new java.util.HashSet<>();
        try (DirectoryStream<Path> own = Files.newDirectoryStream(Install.lib(Install.root()), "*.jar")) {
            own.forEach(j -> present.add(j.getFileName().toString()));
        } catch (IOException e) {
            // no launcher folder to compare with: add every jar
        }
        int added = 0;
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(jars, "*.jar")) {
            ds.forEach(all::add);
        } catch (IOException e) {
            throw CellError.of("SparkError", "%spark: cannot list " + jars + ": " + e.getMessage());
        }
        all.sort(null);
        for (Path j : all) {
            if (present.contains(j.getFileName().toString())) continue;
            session.addToClasspath(j.toAbsolutePath().normalize().toString());
            added++;
        }
        out.println("Spark: added " + added + " jars from " + jars + "; import netbook.spark.* for Sweep, SparkSweep, BatchPredict");
        return Session.Result.NONE;
    }

    private Session.Result classpath(String args) throws CellError {
        List<String> words = words(args);
        if (words.isEmpty()) {
            List<String> added = session.addedClasspath();
            out.println(added.isEmpty() ? "(nothing added; the kernel's class path is " + Install.lib(Install.root()) + ")" : String.join("\n", added));
            return Session.Result.NONE;
        }
        for (String w : words) {
            List<Path> paths = glob(w);
            if (paths.isEmpty()) {
                throw CellError.of("ClasspathError", "no file matches " + w);
            }
            for (Path p : paths) {
                session.addToClasspath(p.toAbsolutePath().normalize().toString());
                out.println("Added " + p);
            }
        }
        return Session.Result.NONE;
    }

    /** Where %maven resolves; tests point it at a repository of their own. */
    static java.util.function.Supplier<MavenDeps> mavenDeps = MavenDeps::forKernel;

    private Session.Result maven(String args) throws CellError {
        List<String> w = words(args);
        if (w.isEmpty() || (w.get(0).equals("--file") && w.size() != 2)) {
            throw CellError.of("MavenError", "usage: %maven GROUP:ARTIFACT:VERSION... or %maven --file pom.xml");
        }
        return loadDependencies(w.get(0).equals("--file") ? MavenDeps.pomDependencies(Path.of(w.get(1))) : w);
    }

    private Session.Result loadDependencies(List<String> coordinates) throws CellError {
        if (coordinates.isEmpty()) {
            out.println("No dependencies to add");
            return Session.Result.NONE;
        }
        MavenDeps.Outcome o = mavenDeps.get().resolve(coordinates);
        for (Path p : o.added()) {
            session.addToClasspath(p.toAbsolutePath().toString());
            out.println("Added " + p.getFileName());
        }
        if (!o.alreadyShipped().isEmpty()) out.println("Already on the class path: " + String.join(", ", o.alreadyShipped()));
        if (!o.clashes().isEmpty()) {
            out.println("Not loaded, a different version of what Netbook ships (two in one JVM break both): " + String.join(", ", o.clashes()));
        }
        return Session.Result.NONE;
    }

    private Session.Result outputLimit(String args) throws CellError {
        if (kernel == null) throw CellError.of("OutputLimitError", "%output_limit works in the Jupyter kernel only");
        if (!args.isEmpty()) {
            long bytes;
            try {
                bytes = Long.parseLong(args.replace(",", "").replace("_", ""));
            } catch (NumberFormatException e) {
                throw CellError.of("OutputLimitError", "usage: %output_limit BYTES (a whole number of at least 1000), received '" + args + "'");
            }
            if (bytes < 1000) throw CellError.of("OutputLimitError", "%output_limit: at least 1000 bytes, received " + bytes);
            kernel.setOutputLimit(bytes);
        }
        out.println(String.format(Locale.ROOT, "Output limit: %,d bytes per cell", kernel.outputLimit()));
        return Session.Result.NONE;
    }

    private Session.Result load(String args) throws CellError {
        List<String> words = words(args);
        if (words.size() != 1) {
            throw CellError.of("LoadError", "usage: %load FILE (a .jsh or .java file)");
        }
        Path p = Path.of(words.get(0));
        String code;
        try {
            code = Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CellError.of("LoadError", "cannot read " + p.toAbsolutePath() + ": " + e.getMessage());
        }
        return run(code, p.getFileName().toString(), 1);
    }

    private Table vars() {
        StringColumn n = StringColumn.create("name");
        StringColumn t = StringColumn.create("type");
        StringColumn sh = StringColumn.create("shape");
        StringColumn v = StringColumn.create("value");
        for (String[] var : session.variables()) {
            n.append(var[0]);
            t.append(var[1]);
            sh.append(var[2]);
            v.append(var[3].length() > 80 ? var[3].substring(0, 77) + "..." : var[3]);
        }
        return Table.create("variables", n, t, sh, v);
    }

    private static CellError unknown(String magic) {
        return CellError.of("UnknownMagic", magic + " is not a magic of this kernel; known: "
                + String.join(", ", HELP.keySet().stream().map(k -> "%" + k).toList()) + ", %%time, %%loadFromPOM");
    }

    /** Whitespace-separated words; double quotes group. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }

    /** The files matching a path whose last element may hold {@code *} or {@code ?}. */
    static List<Path> glob(String pattern) {
        Path p = Path.of(pattern);
        String last = p.getFileName() == null ? "" : p.getFileName().toString();
        if (!last.contains("*") && !last.contains("?")) {
            return Files.exists(p) ? List.of(p) : List.of();
        }
        Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, last)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }
}
