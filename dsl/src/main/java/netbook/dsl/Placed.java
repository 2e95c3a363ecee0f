package netbook.dsl;

/** A child of a container together with the input shape it receives there. */
public record Placed(Node node, Shape input) {}
