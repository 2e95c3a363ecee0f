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
 * <li>{@code %time code} or {@code %%time}: runs the code and prints the wall time.</li>
 * <li>{@code %load file.jsh} (or .java): runs a file as if it were the cell.</li>
 * <li>{@code %vars}: the session's variables as a table. {@code %lsmagic}: this list.</li>
 * </ul>
 */
final class Magics {
    static final Map<String, String> HELP = new TreeMap<>(Map.of(
            "classpath", "%classpath PATH... : add jars (globs allowed) or folders; alone, list them",
            "time", "%time CODE or %%time : run and print the wall time",
            "load", "%load FILE : run a .jsh or .java file",
            "vars", "%vars : the session's variables (name, type, value)",
            "lsmagic", "%lsmagic : list the magics"));

    private final Session session;
    private final PrintStream out;

    Magics(Session session, PrintStream out) {
        this.session = session;
        this.out = out;
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
            case "load":
                return load(args);
            case "vars":
                return new Session.Result(vars(), true);
            case "lsmagic":
                HELP.values().forEach(out::println);
                return Session.Result.NONE;
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

    private Session.Result classpath(String args) throws CellError {
        List<String> words = words(args);
        if (words.isEmpty()) {
            List<String> added = session.addedClasspath();
            out.println(added.isEmpty() ? "(nothing added; the kernel's class path is src/target/lib)" : String.join("\n", added));
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
        StringColumn v = StringColumn.create("value");
        for (String[] var : session.variables()) {
            n.append(var[0]);
            t.append(var[1]);
            v.append(var[2].length() > 80 ? var[2].substring(0, 77) + "..." : var[2]);
        }
        return Table.create("variables", n, t, v);
    }

    private static CellError unknown(String magic) {
        return CellError.of("UnknownMagic", magic + " is not a magic of this kernel; known: "
                + String.join(", ", HELP.keySet().stream().map(k -> "%" + k).toList()) + ", %%time");
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
