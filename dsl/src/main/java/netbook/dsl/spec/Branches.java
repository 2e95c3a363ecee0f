package netbook.dsl.spec;

import java.util.ArrayList;
import java.util.List;
import netbook.dsl.Layer;
import netbook.dsl.NetbookException;
import netbook.dsl.Node;
import netbook.dsl.Placed;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * Parallel branches on the same input, joined by concatenation on channels (Inception) or by
 * addition. Unnamed branches are {@code branch1, branch2, ...}.
 * <pre>branches(conv(64, 1), seq(conv(48, 1), conv(64, 5).padding(2))).named("mixed5b")</pre>
 */
public record Branches(List<Node> branches, boolean concat) implements Layer.Container {
    @Override
    public List<Node> children() { return branches; }

    @Override
    public Flow flow() { return new Flow.Parallel(concat); }

    public Branches {
        branches = List.copyOf(branches);
        if (branches.size() < 2) {
            throw new NetbookException("branches(...) needs at least two branches, received " + branches.size());
        }
    }

    public static Branches of(List<? extends Layer> layers, boolean concat) {
        List<Node> nodes = new ArrayList<>();
        int i = 0;
        for (Layer l : layers) {
            i++;
            if (l instanceof Layer.Named n) {
                nodes.add(new Node(n.name(), n.layer()));
            } else {
                nodes.add(new Node("branch" + i, l));
            }
        }
        return new Branches(nodes, concat);
    }

    /** Join by elementwise sum instead of concatenation. */
    public Branches sum() { return new Branches(branches, false); }

    @Override public String type() { return concat ? "Concat" : "Sum"; }
    @Override public String defaultName() { return concat ? "mixed" : "sum"; }

    @Override
    public List<Placed> place(Shape in) {
        List<Placed> out = new ArrayList<>();
        for (Node n : branches) {
            out.add(new Placed(n, in));
        }
        return out;
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape first = null;
        String firstName = null;
        long channels = 0;
        for (Node n : branches) {
            Shape s = Sequential.outputOf(n, in);
            if (first == null) {
                first = s;
                firstName = n.name();
            } else if (concat) {
                boolean ok = s.rank() == first.rank();
                for (int d = 1; ok && d < s.rank(); d++) {
                    ok = s.dim(d) == first.dim(d);
                }
                if (!ok) {
                    throw ShapeException.of(type(), n.name() + " gives " + s + " but " + firstName + " gives " + first
                                    + "; concatenation on channels needs every other axis equal",
                            "Check the strides and padding of " + n.name());
                }
            } else if (!s.equals(first)) {
                throw ShapeException.of(type(), n.name() + " gives " + s + " but " + firstName + " gives " + first
                        + "; a sum needs equal shapes");
            }
            channels += s.dim(0);
        }
        return concat ? first.with(0, channels) : first;
    }
}
