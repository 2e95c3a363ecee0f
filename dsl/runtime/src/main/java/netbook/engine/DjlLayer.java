package netbook.engine;

import netbook.dsl.Layer;
import netbook.dsl.Shape;

/**
 * A layer computed by a DJL block you write: the escape hatch for what a {@link netbook.dsl.CustomLayer}'s
 * weights-plus-forward cannot express (several outputs, state kept between calls, children with
 * their own data flow, such as the VQ-VAE hierarchy). Declare {@link #params(Shape)}: compiling
 * checks that the block's trainable parameters add up to it, so summaries never lie. A DJL layer
 * that is also a {@link Layer.Container} lists its children for summaries and diagrams but is
 * compiled by its own {@link #toBlock(Shape)}.
 * <pre>
 * record Scale(int channels) implements DjlLayer {
 *     public String type() { return "Scale"; }
 *     public Shape outputShape(Shape in) { return in; }
 *     public long params(Shape in) { return channels; }
 *     public ai.djl.nn.Block toBlock(Shape in) { return new MyScaleBlock(channels); }
 * }
 * </pre>
 */
public interface DjlLayer extends Layer {
    /** The DJL block for input shape {@code in} (per example, no batch axis). */
    ai.djl.nn.Block toBlock(Shape in);
}
