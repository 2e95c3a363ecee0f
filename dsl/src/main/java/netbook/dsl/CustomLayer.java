package netbook.dsl;

/**
 * A user-written block with parameters: declare its type, output shape and parameter count like
 * any layer, and give the DJL block that computes it. Netbook checks, when compiling, that the
 * block's parameters add up to {@link #params(Shape)}. A custom layer that is also a
 * {@link Layer.Container} lists its children for summaries and diagrams but is still compiled by
 * its own {@link #toBlock(Shape)} (a composite with its own data flow, such as a VQ-VAE hierarchy).
 * <pre>
 * record Scale(int channels) implements CustomLayer {
 *     public String type() { return "Scale"; }
 *     public Shape outputShape(Shape in) { return in; }
 *     public long params(Shape in) { return channels; }
 *     public ai.djl.nn.Block toBlock(Shape in) { return new MyScaleBlock(channels); }
 * }
 * </pre>
 */
public interface CustomLayer extends Layer {
    /** The DJL block for input shape {@code in} (per example, no batch axis). */
    ai.djl.nn.Block toBlock(Shape in);
}
