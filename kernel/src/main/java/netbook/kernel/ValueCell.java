package netbook.kernel;

import java.util.Set;

/**
 * A cheaper way to evaluate an expression whose value a notebook shows. JShell compiles a bare
 * expression twice: once to learn its type (so it can declare a {@code $N} variable of that type),
 * then to run it. Declared as {@code Object $netbookValue = (EXPR);} it compiles once, about 6 ms
 * less per cell on a 2-core machine (13-14 ms against 8), and the kernel renders the live object
 * either way, so the static type is not needed.
 *
 * <p>This class only decides from the text, without javac, which snippets may take that road.
 * It must never change what a cell means: an assignment ({@code x = 3} shows nothing) and
 * anything that starts like a statement or a declaration stay on JShell's own road. A guess
 * that is wrong the other way (a declaration without initializer, a call that returns void)
 * costs one rejected compile (about 4 ms): the session then evaluates the snippet as written, so
 * errors read exactly as JShell reports them.
 */
final class ValueCell {
    private ValueCell() {}

    /** The variable a value cell is declared as; dropped as soon as its value is taken. */
    static final String NAME = "$netbookValue";

    private static final Set<String> STATEMENT_STARTS = Set.of(
            "import", "package", "class", "interface", "enum", "record", "if", "for", "while", "do", "try", "switch",
            "return", "throw", "break", "continue", "yield", "synchronized", "assert", "var", "public", "private",
            "protected", "static", "final", "abstract", "sealed", "non", "default", "native", "strictfp",
            "transient", "volatile", "void", "boolean", "byte", "char", "short", "int", "long", "float", "double");

    /**
     * The declaration to evaluate instead of {@code snippet}, or null to evaluate it as written.
     * {@code userSemicolon}: the user ended the snippet with {@code ;} (a call written as a
     * statement is likely a void call; one written as a value, without {@code ;}, likely not).
     */
    static String declaration(String snippet, boolean userSemicolon) {
        String s = snippet.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        if (s.isEmpty() || s.startsWith("{") || s.startsWith("@") || s.startsWith("/") || s.endsWith("}")) {
            return null;
        }
        String first = firstWord(s);
        if (STATEMENT_STARTS.contains(first)) {
            return null;
        }
        Scan scan = scan(s);
        if (scan == null || scan.assignment) {
            return null;
        }
        if (userSemicolon && s.endsWith(")")) {
            return null;
        }
        // the closing parenthesis on a line of its own: a trailing // comment cannot swallow it
        return "Object " + NAME + " = (" + s + "\n);";
    }

    private static String firstWord(String s) {
        int i = 0;
        while (i < s.length() && (Character.isJavaIdentifierPart(s.charAt(i)) || s.charAt(i) == '-')) {
            i++;
        }
        return s.substring(0, i);
    }

    private record Scan(boolean assignment) {}

    /**
     * Looks for an assignment operator outside brackets, strings and comments; null when the text
     * is not balanced (leave it to JShell).
     */
    private static Scan scan(String s) {
        int depth = 0;
        boolean assignment = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            if (c == '"' || c == '\'') {
                if (c == '"' && s.startsWith("\"\"\"", i)) {
                    int end = s.indexOf("\"\"\"", i + 3);
                    if (end < 0) return null;
                    i = end + 2;
                    continue;
                }
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c) {
                    if (s.charAt(j) == '\\') j++;
                    j++;
                }
                if (j >= s.length()) return null;
                i = j;
            } else if (c == '/' && next == '/') {
                int end = s.indexOf('\n', i);
                if (end < 0) break;
                i = end;
            } else if (c == '/' && next == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) return null;
                i = end + 1;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth < 0) return null;
            } else if (c == '=' && depth == 0) {
                char prev = i > 0 ? s.charAt(i - 1) : 0;
                boolean comparison = next == '=' || prev == '=' || prev == '!' || prev == '<' && !s.startsWith("<<=", i - 2)
                        || prev == '>' && !s.startsWith(">>=", i - 2) && !s.startsWith(">>>=", i - 3);
                if (!comparison) {
                    assignment = true;   // =, +=, <<=, >>>= and the rest
                }
            }
        }
        return depth == 0 ? new Scan(assignment) : null;
    }
}
