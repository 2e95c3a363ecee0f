/**
 * Netbook's network DSL: {@link netbook.dsl.Net} (an input shape and a sequence of blocks),
 * {@link netbook.dsl.Layers} (the vocabulary, for {@code import static}), {@link netbook.dsl.Summary}
 * (the layer table, computed from the spec alone) and {@link netbook.dsl.SpecJson} (the spec as data).
 * <pre>Net net = Net.input(1, 28, 28).add(conv(32, 3).padding(1), relu(), flatten(), linear(10));</pre>
 */
package netbook.dsl;
