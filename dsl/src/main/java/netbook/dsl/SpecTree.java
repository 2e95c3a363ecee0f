package netbook.dsl;

import java.util.function.Consumer;
import netbook.dsl.spec.AuxHead;

/** Walks a spec tree depth-first, giving every leaf with its path, input and output shape. */
public final class SpecTree {
    private SpecTree() {}

    /** One leaf block at its place in the tree. {@code inAux}: inside an auxiliary head. */
    public record Leaf(String path, Layer layer, Shape input, Shape output, boolean inAux) {}

    public static void leaves(Layer root, Shape in, Consumer<Leaf> visit) {
        walk("", root, in, false, visit);
    }

    private static void walk(String path, Layer layer, Shape in, boolean inAux, Consumer<Leaf> visit) {
        if (layer instanceof Layer.Named n) {
            layer = n.layer();
        }
        if (layer instanceof Layer.Container c) {
            boolean aux = inAux || c instanceof AuxHead;
            for (Placed p : c.place(in)) {
                String child = path.isEmpty() ? p.node().name() : path + "." + p.node().name();
                walk(child, p.node().layer(), p.input(), aux, visit);
            }
        } else {
            visit.accept(new Leaf(path, layer, in, layer.outputShape(in), inAux));
        }
    }
}
