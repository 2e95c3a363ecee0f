package netbook.dsl;

/** A child of a container: its name (one segment of the block path) and its layer. */
public record Node(String name, Layer layer) {
    public Node {
        if (name == null || name.isBlank() || name.contains(".")) {
            throw new NetbookException("block name '" + name + "' is not allowed: names are non-empty and contain no '.'");
        }
    }
}
