package netbook.kernel;

import java.util.List;

/**
 * A cell that failed, already formatted for Jupyter: {@code ename}, {@code evalue} and the
 * traceback lines (message first, then where in the cell, then the frames).
 */
final class CellError extends Exception {
    private final String ename;
    private final String evalue;
    private final List<String> traceback;

    CellError(String ename, String evalue, List<String> traceback) {
        super(ename + ": " + evalue, null, false, false);
        this.ename = ename;
        this.evalue = evalue;
        this.traceback = List.copyOf(traceback);
    }

    /** An error with just a message. */
    static CellError of(String ename, String message) {
        return new CellError(ename, message, List.of(Ansi.red(ename + ": " + message)));
    }

    String ename() { return ename; }
    String evalue() { return evalue; }
    List<String> traceback() { return traceback; }

    /** Colours for tracebacks (Jupyter front ends render ANSI escapes). */
    static final class Ansi {
        private Ansi() {}

        static String red(String s) { return "\u001b[0;31m" + s + "\u001b[0m"; }
        static String bold(String s) { return "\u001b[1m" + s + "\u001b[0m"; }
        static String dim(String s) { return "\u001b[0;90m" + s + "\u001b[0m"; }
        static String green(String s) { return "\u001b[0;32m" + s + "\u001b[0m"; }
    }
}
