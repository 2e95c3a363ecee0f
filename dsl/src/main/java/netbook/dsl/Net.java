package netbook.dsl;

import java.util.ArrayList;
import java.util.List;
import netbook.dsl.spec.AuxHead;
import netbook.dsl.spec.Sequential;

/**
 * A network: an input shape and a sequence of blocks, immutable. Every {@link #add} checks shapes
 * at once and fails with the block path of the mistake, so an error shows up at the line that
 * made it, not when training starts.
 * <pre>
 * Net net = Net.input(1, 28, 28).named("small-cnn").add(
 *     conv(32, 3).padding(1), batchNorm(), relu(), maxPool(2),
 *     flatten(), linear(10));
 * System.out.println(net.summary());
 * </pre>
 */
public final class Net {
    private final String name;
    private final Shape input;
    private final Sequential body;
    private final Shape output;

    private Net(String name, Shape input, Sequential body) {
        this.name = name;
        this.input = input;
        this.body = body;
        this.output = body.outputShape(input);
    }

    /** A network taking examples of this shape (no batch axis): {@code Net.input(3, 224, 224)}. */
    public static Net input(long... dims) {
        return new Net("net", Shape.of(dims), new Sequential(List.of()));
    }

    /** A network from a whole spec tree, as a checkpoint stores it. */
    public static Net of(String name, Shape input, Sequential body) {
        return new Net(name, input, body);
    }

    public Net named(String newName) {
        return new Net(newName, input, body);
    }

    /** A new network with these blocks appended; shapes are checked now. */
    public Net add(Layer... layers) {
        return new Net(name, input, body.addAll(List.of(layers)));
    }

    /**
     * A new network with these blocks in front of the current ones, named as if added first:
     * {@code Zoo.get("resnet18-small").prepend(train.normalization())}. Shapes are checked now.
     */
    public Net prepend(Layer... layers) {
        Sequential front = Sequential.of(List.of(layers));
        List<Node> items = new java.util.ArrayList<>(front.items());
        items.addAll(body.items());
        return new Net(name, input, new Sequential(items));
    }

    public String name() { return name; }
    public Shape inputShape() { return input; }
    public Shape outputShape() { return output; }
    /** The spec tree. */
    public Sequential body() { return body; }

    /** The layer table at batch size 1. */
    public Summary summary() { return new Summary(name, body, input, 1); }

    /** The layer table with activation memory at {@code batch}. */
    public Summary summary(int batch) { return new Summary(name, body, input, batch); }

    /** Trainable parameters, auxiliary heads included. */
    public long params() { return summary().params(); }

    /** Auxiliary heads in training-output order (outputs 1, 2, ... after the main output 0). */
    public List<AuxHead> auxHeads() {
        List<AuxHead> heads = new ArrayList<>();
        collectAux(body, heads);
        return heads;
    }

    private static void collectAux(Layer l, List<AuxHead> out) {
        if (l instanceof Layer.Named n) {
            l = n.layer();
        }
        if (l instanceof AuxHead a) {
            out.add(a);
        }
        if (l instanceof Layer.Container c) {
            for (Node child : c.children()) {
                collectAux(child.layer(), out);
            }
        }
    }

    @Override
    public String toString() {
        return name + " " + input + " -> " + output + ", " + String.format(java.util.Locale.ROOT, "%,d", params()) + " params";
    }
}
