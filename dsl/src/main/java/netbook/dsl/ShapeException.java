package netbook.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * A block cannot take the shape it is given. The message names the block path, the block type,
 * what was expected and what was received, and a likely fix when there is one:
 * <pre>stage2.unit1.conv2 (Conv2d): expected 4-D input (N, C, H, W), received (N, 64, 56). Did you forget ...?</pre>
 */
public final class ShapeException extends NetbookException {
    private final List<String> path;
    private final String blockType;
    private final String problem;
    private final String hint;

    private ShapeException(List<String> path, String blockType, String problem, String hint) {
        super(format(path, blockType, problem, hint));
        this.path = List.copyOf(path);
        this.blockType = blockType;
        this.problem = problem;
        this.hint = hint;
    }

    /** Raised by a block about itself; the containers add the path on the way out. */
    public static ShapeException of(String blockType, String problem, String hint) {
        return new ShapeException(List.of(), blockType, problem, hint);
    }

    public static ShapeException of(String blockType, String problem) {
        return of(blockType, problem, null);
    }

    /** The same error one level further out, under the container's child {@code name}. */
    public ShapeException under(String name) {
        List<String> p = new ArrayList<>();
        p.add(name);
        p.addAll(path);
        ShapeException e = new ShapeException(p, blockType, problem, hint);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** Dotted block path such as {@code stage2.unit1.conv2}; empty at the top. */
    public String path() {
        return String.join(".", path);
    }

    public String blockType() {
        return blockType;
    }

    private static String format(List<String> path, String type, String problem, String hint) {
        String where = path.isEmpty() ? "" : String.join(".", path) + " ";
        return where + "(" + type + "): " + problem + (hint == null ? "" : ". " + hint);
    }
}
