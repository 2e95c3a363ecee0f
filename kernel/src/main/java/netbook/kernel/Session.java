package netbook.kernel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import netbook.kernel.CellError.Ansi;

/**
 * One JShell session evaluated in this process: splits a cell into snippets, evaluates them in
 * order, keeps the last expression's live value, and turns failures into {@link CellError}s that
 * point at the cell's own lines. Also completion, documentation, completeness and variables.
 * Knows nothing about Jupyter messages.
 */
final class Session implements AutoCloseable {
    /** The default imports, shared with {@code ./netbook jshell}. */
    static final String STARTUP_RESOURCE = "/netbook/startup.jsh";

    /** Where a snippet came from: a cell label such as {@code In[3]} and the cell line of its first token. */
    record Origin(String label, int line) {}

    /** What a cell produced: the value of its last snippet when that is an expression. */
    record Result(Object value, boolean hasValue) {
        static final Result NONE = new Result(null, false);
    }

    private final JShell jshell;
    private final LiveExecution exec;
    private final SourceCodeAnalysis analysis;
    private final IdleIndexing indexing;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private final List<String> classpath = new ArrayList<>();
    private final List<String> startupProblems = new ArrayList<>();

    private Session(JShell jshell, LiveExecution exec) {
        this.jshell = jshell;
        this.exec = exec;
        this.analysis = jshell.sourceCodeAnalysis();
        this.indexing = new IdleIndexing(analysis, IdleIndexing.IDLE_MS);
        indexing.pause();
    }

    /** A session with this JVM's class path and the startup imports. */
    static Session start() {
        LiveExecution.Provider provider = new LiveExecution.Provider();
        // JShell's compiler takes its class path from java.class.path when the JShell is built,
        // and hands it to javac at the first addToClasspath (until then javac reads the property
        // itself, later). So the property is narrowed to what cells may use while the JShell is
        // built, and an empty folder is added at once to fix that narrowed path in javac.
        String jvmClasspath = System.getProperty("java.class.path", "");
        Path empty = emptyDirectory();
        JShell js;
        synchronized (System.class) {
            System.setProperty("java.class.path", cellClasspath(jvmClasspath));
            try {
                js = JShell.builder()
                        .executionEngine(provider, Map.of())
                        // javac looks for compiler plugins on the processor path, which defaults to the
                        // whole class path: 50 jars' service files read on the first cell (about 100 ms
                        // here) to find none. An empty directory ends that search at once.
                        .compilerOptions("-Xlint:none", "-proc:none", "--processor-path", empty.toString())
                        .build();
            } finally {
                System.setProperty("java.class.path", jvmClasspath);
            }
        }
        js.addToClasspath(empty.toString());
        Kernel.trace("jshell built");
        Session s = new Session(js, provider.instance());
        s.runStartup(readStartup());
        s.indexing.resumeAfterIdle();
        Kernel.trace("startup imports evaluated");
        return s;
    }

    /**
     * Jars of the kernel's own machinery (Jupyter messaging, Maven resolution) and one large
     * library that no public type of Netbook, DJL or Tablesaw exposes (ICU, which Tablesaw uses
     * inside its CSV reader). Cells do not compile against them: user code has no business with
     * the kernel's internals, and javac indexes every folder of every jar it is given when a
     * session starts (these hold 9,000 of the 33,000 entries). They stay on the runtime class path.
     */
    static final Pattern NOT_FOR_CELLS = Pattern.compile(
            "(netbook-kernel|jjava-jupyter|jeromq|jnacl|maven-[a-z0-9-]+|plexus-[a-z]+|httpclient|httpcore|commons-codec"
                    + "|jcl-over-slf4j|icu4j)-[0-9].*\\.jar");

    /**
     * The JVM's class path less {@link #NOT_FOR_CELLS}, with each jar that has a cells view
     * replaced by that view, and each jar by its unpacked folder where one is current
     * ({@link CellClasses}). The runtime's cells view ({@code netbook-runtime-V-cells.jar}, built
     * beside the jar, and in {@code lib/cells/} of the launcher) holds every package but
     * {@code netbook.internal}: on the class path a module descriptor hides nothing, so this is how
     * a cell is kept off the implementation. Cells compile against the view and run from the full
     * jar, which stays on the JVM's class path.
     */
    static String cellClasspath(String jvmClasspath) {
        return cellJars(jvmClasspath).stream()
                .map(CellClasses::forCompiling)
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * The entries of {@code jvmClasspath} that cells compile against, as jars: without
     * {@link #NOT_FOR_CELLS}, each jar that has a cells view replaced by it. {@link #cellClasspath}
     * then gives javac each jar's unpacked folder where {@link CellClasses} made a current one.
     */
    static List<String> cellJars(String jvmClasspath) {
        return Arrays.stream(jvmClasspath.split(File.pathSeparator))
                .filter(p -> !p.isEmpty() && !NOT_FOR_CELLS.matcher(new File(p).getName()).matches())
                .map(Session::cellsView)
                .toList();
    }

    private static String cellsView(String entry) {
        File jar = new File(entry);
        String name = jar.getName();
        if (!name.endsWith(".jar")) {
            return entry;
        }
        String view = name.substring(0, name.length() - ".jar".length()) + "-cells.jar";
        for (File candidate : new File[] {new File(jar.getParentFile(), "cells/" + view), new File(jar.getParentFile(), view)}) {
            if (candidate.isFile()) {
                return candidate.getPath();
            }
        }
        return entry;
    }

    /** Said under a compile error that names the runtime's implementation. */
    static final String INTERNAL_HINT = "netbook.internal is the runtime's implementation, not its API: cells compile without it."
            + " Train with netbook.train.Fit; a trained model's DJL model is TrainedModel.djlModel();"
            + " a custom layer's computation is given with netbook.engine.Blocks.define.";

    private static Path emptyDirectory() {
        try {
            Path dir = Files.createTempDirectory("netbook-no-plugins");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for javac's empty plugin path", e);
        }
    }

    static String readStartup() {
        try (InputStream in = Session.class.getResourceAsStream(STARTUP_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + STARTUP_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void runStartup(String script) {
        String rest = script;
        while (!rest.isBlank()) {
            CompletionInfo ci = analysis.analyzeCompletion(rest);
            if (!ci.completeness().isComplete()) {
                break;
            }
            for (SnippetEvent e : jshell.eval(ci.source())) {
                if (e.causeSnippet() == null && e.status() == Snippet.Status.REJECTED) {
                    String msg = jshell.diagnostics(e.snippet()).map(d -> d.getMessage(Locale.ROOT)).findFirst().orElse("rejected");
                    startupProblems.add(e.snippet().source().strip() + "  (" + msg + ")");
                }
            }
            rest = ci.remaining();
            Kernel.trace("evaluated " + ci.source().strip().lines().reduce((first, last) -> last).orElse(""));
        }
    }

    /** JShell's class-path indexing, kept to idle time. */
    IdleIndexing indexing() {
        return indexing;
    }

    /** Startup snippets that failed (for example an import of a package not on the class path). */
    List<String> startupProblems() {
        return List.copyOf(startupProblems);
    }

    /**
     * Evaluates {@code code}, labelled {@code label} in errors, whose first line is line
     * {@code firstLine} (1-based) of what the user sees.
     */
    Result eval(String code, String label, int firstLine) throws CellError {
        indexing.pause();
        try {
            return evalSnippets(code, label, firstLine);
        } finally {
            indexing.resumeAfterIdle();
        }
    }

    private Result evalSnippets(String code, String label, int firstLine) throws CellError {
        exec.clearResults();
        exec.consumeStopped();
        Result result = Result.NONE;
        String rest = code;
        int consumed = 0;
        while (!rest.isBlank()) {
            CompletionInfo ci = analysis.analyzeCompletion(rest);
            if (ci.completeness() == Completeness.EMPTY) {
                break;
            }
            boolean complete = ci.completeness().isComplete();
            String src = complete ? ci.source() : rest;
            String after = complete ? ci.remaining() : "";
            // JShell counts a snippet's lines from its first non-blank character.
            int lead = 0;
            while (lead < src.length() && Character.isWhitespace(src.charAt(lead))) {
                lead++;
            }
            int start = consumed + lead;
            String written = rest.substring(0, rest.length() - after.length());
            String declaration = complete ? ValueCell.declaration(src.substring(lead), written.strip().endsWith(";")) : null;
            if (declaration != null) {
                Result value = evalAsValue(declaration, label, firstLine + lineOf(code, start));
                if (value != null) {
                    result = value;
                    consumed += rest.length() - after.length();
                    rest = after;
                    continue;
                }
            }
            List<SnippetEvent> events = jshell.eval(src.substring(lead));
            try {
                if (exec.consumeStopped()) {
                    throw interrupted();
                }
                result = Result.NONE;
                for (SnippetEvent e : events) {
                    if (e.causeSnippet() != null) {
                        continue;
                    }
                    Snippet sn = e.snippet();
                    origins.put(sn.id(), new Origin(label, firstLine + lineOf(code, start)));
                    if (e.status() == Snippet.Status.REJECTED) {
                        throw compileError(sn, code, start, label, firstLine);
                    }
                    if (e.exception() != null) {
                        throw runtimeError(e.exception());
                    }
                    Object live = exec.takeResult(e.value());
                    if (isValue(sn)) {
                        result = new Result(live, true);
                    }
                }
            } finally {
                // JShell imports every live $N temp variable into each later snippet, so a session
                // of 500 expression cells compiles 500 imports per cell (a trivial cell went from
                // ~35 to ~95 ms). The value is taken (or the cell failed): drop it either way.
                dropOwn(events, sn -> sn.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
            }
            consumed += rest.length() - after.length();
            rest = after;
        }
        return result;
    }

    /**
     * Evaluates an expression declared as {@link ValueCell#NAME} and returns its live value, or
     * null when JShell did not accept the declaration (the caller then evaluates the snippet as
     * written, so its errors read as JShell's own). The variable is dropped at once either way.
     */
    private Result evalAsValue(String declaration, String label, int line) throws CellError {
        List<SnippetEvent> events = jshell.eval(declaration);
        if (exec.consumeStopped()) {
            dropOwn(events, sn -> true);
            throw interrupted();
        }
        SnippetEvent own = events.stream().filter(e -> e.causeSnippet() == null).findFirst().orElse(null);
        if (own == null || own.status() != Snippet.Status.VALID) {
            dropOwn(events, sn -> true);
            return null;
        }
        origins.put(own.snippet().id(), new Origin(label, line));
        Object live = exec.takeResult(own.value());
        dropOwn(events, sn -> true);
        if (own.exception() != null) {
            throw runtimeError(own.exception());
        }
        return new Result(live, true);
    }

    /** Drops the snippets an eval created itself (not those it updated) that match and are still active. */
    private void dropOwn(List<SnippetEvent> events, java.util.function.Predicate<Snippet> which) {
        for (SnippetEvent e : events) {
            if (e.causeSnippet() == null && which.test(e.snippet()) && jshell.status(e.snippet()).isActive()) {
                jshell.drop(e.snippet());
            }
        }
    }

    /** Whether the snippet is an expression whose value a notebook shows. */
    private static boolean isValue(Snippet s) {
        return switch (s.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND -> true;
            default -> false;
        };
    }

    /** Stops the running cell (from another thread). */
    void stop() {
        exec.stop();
    }

    boolean isRunning() {
        return exec.isRunning();
    }

    /** Whether {@code t} runs a cell that was interrupted and left running on this JDK (no Thread.stop). */
    boolean isAbandoned(Thread t) {
        return exec.isAbandoned(t);
    }

    /** Adds jars or folders to both the compiler's and the loader's class path. */
    void addToClasspath(String path) {
        jshell.addToClasspath(path);
        classpath.add(path);
    }

    List<String> addedClasspath() {
        return List.copyOf(classpath);
    }

    ClassLoader classLoader() {
        return exec.classLoader();
    }

    /** The active variables: name, type and value as text. */
    /** Each active variable: name, type, shape (see {@link Rich#shapeOf}) and its value as text. */
    List<String[]> variables() {
        List<String[]> out = new ArrayList<>();
        jshell.variables().filter(v -> jshell.status(v).isActive()).forEach(v -> {
            String value;
            String shape = "";
            try {
                value = jshell.varValue(v);
                shape = Rich.shapeOf(exec.takeLastVariable());
            } catch (RuntimeException e) {
                value = "<" + e.getClass().getSimpleName() + ">";
            }
            out.add(new String[] {v.name(), v.typeName(), shape, value});
        });
        return out;
    }

    // ----- completeness, completion, documentation -----

    /** "complete", "incomplete", "invalid", with the indent to continue an incomplete cell. */
    record Completion(String status, String indent) {}

    Completion isComplete(String code) {
        String rest = stripMagicLines(code);
        while (!rest.isBlank()) {
            CompletionInfo ci = analysis.analyzeCompletion(rest);
            switch (ci.completeness()) {
                case EMPTY:
                    return new Completion("complete", "");
                case COMPLETE:
                case COMPLETE_WITH_SEMI:
                    // Complete but unparseable (class { }, int 3x = 1;) is "invalid": the front end
                    // runs it at once to show the error instead of waiting for more lines.
                    if (analysis.sourceToSnippets(ci.source()).stream().anyMatch(sn -> sn.kind() == Snippet.Kind.ERRONEOUS)) {
                        return new Completion("invalid", "");
                    }
                    rest = ci.remaining();
                    continue;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return new Completion("incomplete", "    ".repeat(Math.max(1, depth(code))));
                default:
                    return new Completion("invalid", "");
            }
        }
        return new Completion("complete", "");
    }

    /** Completions at {@code cursor}: replacement texts and the range they replace. */
    record Matches(List<String> matches, int start, int end) {}

    Matches complete(String code, int cursor) {
        indexing.resumeNow();
        int[] span = snippetAt(code, cursor);
        String snippet = code.substring(span[0], span[1]);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> all = analysis.completionSuggestions(snippet, cursor - span[0], anchor);
        boolean anyTyped = all.stream().anyMatch(SourceCodeAnalysis.Suggestion::matchesType);
        Set<String> m = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : all) {
            if (!anyTyped || s.matchesType()) {
                m.add(s.continuation());
            }
        }
        return new Matches(new ArrayList<>(m), span[0] + anchor[0], cursor);
    }

    /** Signatures and Javadoc of what is at {@code cursor}; empty when nothing is known. */
    List<String> documentation(String code, int cursor, boolean detail) {
        indexing.resumeNow();
        int[] span = snippetAt(code, cursor);
        String snippet = code.substring(span[0], span[1]);
        int at = cursor - span[0];
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(snippet, at, true);
        if (docs.isEmpty()) {
            // The cursor is on a name: document it as if the call were being opened.
            int end = at;
            while (end < snippet.length() && Character.isJavaIdentifierPart(snippet.charAt(end))) {
                end++;
            }
            docs = analysis.documentation(snippet.substring(0, end) + "(", end + 1, true);
        }
        return docs.stream().map(d -> {
            String jd = d.javadoc();
            return d.signature() + (jd == null || jd.isBlank() ? "" : "\n\n" + (detail ? jd : firstParagraph(jd)));
        }).distinct().collect(Collectors.toList());
    }

    private static String firstParagraph(String javadoc) {
        int i = javadoc.indexOf("\n\n");
        return i < 0 ? javadoc.strip() : javadoc.substring(0, i).strip();
    }

    /** The [start, end) of the snippet of {@code code} holding {@code cursor}. */
    private int[] snippetAt(String code, int cursor) {
        String rest = code;
        int consumed = 0;
        while (!rest.isBlank()) {
            CompletionInfo ci = analysis.analyzeCompletion(rest);
            if (!ci.completeness().isComplete()) {
                break;
            }
            int len = rest.length() - ci.remaining().length();
            if (consumed + len >= cursor) {
                return new int[] {consumed, consumed + len};
            }
            consumed += len;
            rest = ci.remaining();
        }
        return new int[] {consumed, code.length()};
    }

    // ----- errors -----

    private CellError interrupted() {
        int runaway = exec.abandonedCells().size();
        if (runaway > 0) {
            String msg = "the cell was interrupted but ignores interruption, and this JDK (" + Runtime.version().feature()
                    + ") cannot stop a thread: it goes on in the background (" + runaway + " such cell" + (runaway == 1 ? "" : "s")
                    + " now) until its next print, which ends it; the session is still usable, restart the kernel to end a cell that never prints";
            return new CellError("Interrupted", msg, List.of(Ansi.red("Interrupted: " + msg)));
        }
        return new CellError("Interrupted", "the cell was interrupted",
                List.of(Ansi.red("Interrupted: the cell was interrupted; the session is still usable.")));
    }

    private CellError compileError(Snippet sn, String code, int start, String label, int firstLine) {
        List<Diag> errors = jshell.diagnostics(sn).filter(Diag::isError).collect(Collectors.toList());
        if (errors.isEmpty()) {
            return CellError.of("CompileError", "the snippet was rejected: " + sn.source().strip());
        }
        List<String> lines = new ArrayList<>();
        String first = null;
        int shown = 0;
        for (Diag d : errors) {
            if (shown == 3) {
                lines.add(Ansi.dim("(" + (errors.size() - 3) + " more errors)"));
                break;
            }
            String msg = d.getMessage(Locale.ROOT);
            String[] msgLines = msg.split("\n");
            if (first == null) {
                first = msgLines[0];
            }
            if (shown > 0) {
                lines.add("");
            }
            lines.add(Ansi.red("CompileError: " + msgLines[0]));
            for (int i = 1; i < msgLines.length; i++) {
                lines.add(msgLines[i]);
            }
            long pos = d.getPosition() == Diag.NOPOS ? d.getStartPosition() : d.getPosition();
            long s0 = d.getStartPosition() == Diag.NOPOS ? pos : d.getStartPosition();
            long e0 = d.getEndPosition() == Diag.NOPOS ? pos : d.getEndPosition();
            if (pos != Diag.NOPOS) {
                int abs = (int) Math.min(code.length(), start + Math.max(0, s0));
                int absEnd = (int) Math.min(code.length(), start + Math.max(s0, e0));
                int lineStart = code.lastIndexOf('\n', Math.max(0, abs - 1)) + 1;
                if (abs == 0) {
                    lineStart = 0;
                }
                int lineEnd = code.indexOf('\n', abs);
                if (lineEnd < 0) {
                    lineEnd = code.length();
                }
                int spanEnd = Math.max(abs + 1, Math.min(absEnd, lineEnd));
                String text = code.substring(lineStart, lineEnd);
                int col = abs - lineStart;
                lines.add(Ansi.bold(label + " line " + (firstLine + lineOf(code, abs)) + ", column " + (col + 1) + ":"));
                lines.add("    " + text);
                lines.add("    " + " ".repeat(Math.max(0, col)) + Ansi.red("^".repeat(Math.max(1, spanEnd - abs))));
            }
            shown++;
        }
        if (errors.stream().anyMatch(d -> d.getMessage(Locale.ROOT).contains("netbook.internal"))) {
            lines.add(Ansi.dim(INTERNAL_HINT));
        }
        return new CellError("CompileError", first, lines);
    }

    private CellError runtimeError(JShellException ex) {
        List<String> lines = new ArrayList<>();
        String ename;
        String evalue;
        if (ex instanceof UnresolvedReferenceException ure) {
            Snippet s = ure.getSnippet();
            String what = s instanceof jdk.jshell.DeclarationSnippet ds ? ds.name() : s.source().strip();
            String missing = jshell.unresolvedDependencies(ure.getSnippet()).collect(Collectors.joining(", "));
            ename = "UnresolvedReference";
            evalue = "'" + what + "' cannot be used until " + (missing.isEmpty() ? "its dependencies are" : missing + " is") + " declared";
            lines.add(Ansi.red(ename + ": " + evalue));
            frames(ex, lines);
            return new CellError(ename, evalue, lines);
        }
        EvalException ee = (EvalException) ex;
        ename = ee.getExceptionClassName();
        evalue = ee.getMessage() == null ? "" : ee.getMessage();
        lines.add(Ansi.red(ename + (evalue.isEmpty() ? "" : ": " + evalue)));
        frames(ee, lines);
        Throwable cause = ee.getCause();
        int depth = 0;
        while (cause != null && depth++ < 5) {
            String cn = cause instanceof EvalException c ? c.getExceptionClassName() : cause.getClass().getName();
            String cm = cause.getMessage();
            lines.add(Ansi.red("Caused by: " + cn + (cm == null ? "" : ": " + cm)));
            frames(cause, lines);
            cause = cause.getCause();
        }
        String simple = ename.substring(Math.max(ename.lastIndexOf('.'), ename.lastIndexOf('$')) + 1);
        return new CellError(simple, evalue, lines);
    }

    /** The frames up to the snippet that ran, snippet frames shown as cell lines. */
    private void frames(Throwable t, List<String> lines) {
        int shown = 0;
        boolean seenSnippet = false;
        for (StackTraceElement f : t.getStackTrace()) {
            String file = f.getFileName();
            String cls = f.getClassName();
            if (file != null && file.startsWith("#")) {
                seenSnippet = true;
                Origin o = origins.get(file.substring(1));
                String where = o == null ? "snippet " + file : o.label + " line " + (o.line + Math.max(0, f.getLineNumber() - 1));
                String method = f.getMethodName();
                lines.add("    at " + (method.startsWith("do_it$") || method.isEmpty() ? where : method + " (" + where + ")"));
            } else if (seenSnippet && (cls.startsWith("jdk.internal.reflect.") || cls.startsWith("java.lang.reflect."))) {
                break;
            } else if (cls.startsWith(ExitGuard.class.getName())) {
                continue; // the stand-in for System.exit: the cell line that called it follows
            } else if (cls.startsWith("netbook.kernel.") || cls.startsWith("java.util.concurrent.")) {
                break;
            } else {
                lines.add(Ansi.dim("    at " + f));
            }
            if (++shown == 30) {
                lines.add(Ansi.dim("    ..."));
                break;
            }
        }
    }

    // ----- text helpers -----

    /** 0-based line of character {@code index} in {@code s}. */
    static int lineOf(String s, int index) {
        int n = 0;
        for (int i = 0; i < Math.min(index, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Unclosed braces and parentheses, ignoring strings and comments. */
    static int depth(String code) {
        int d = 0;
        boolean inStr = false, inChar = false, lineComment = false, blockComment = false;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            char n = i + 1 < code.length() ? code.charAt(i + 1) : 0;
            if (lineComment) {
                lineComment = c != '\n';
            } else if (blockComment) {
                if (c == '*' && n == '/') {
                    blockComment = false;
                    i++;
                }
            } else if (inStr || inChar) {
                if (c == '\\') {
                    i++;
                } else if ((inStr && c == '"') || (inChar && c == '\'')) {
                    inStr = inChar = false;
                }
            } else if (c == '/' && n == '/') {
                lineComment = true;
            } else if (c == '/' && n == '*') {
                blockComment = true;
            } else if (c == '"') {
                inStr = true;
            } else if (c == '\'') {
                inChar = true;
            } else if (c == '{' || c == '(') {
                d++;
            } else if (c == '}' || c == ')') {
                d--;
            }
        }
        return d;
    }

    /** The cell with magic lines (starting with %) blanked, for analysis. */
    static String stripMagicLines(String code) {
        StringBuilder sb = new StringBuilder(code.length());
        for (String line : code.split("\n", -1)) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            if (!line.stripLeading().startsWith("%")) {
                sb.append(line);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        indexing.close();
        jshell.close();
    }
}
