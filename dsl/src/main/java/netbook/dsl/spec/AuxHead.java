package netbook.dsl.spec;

import java.util.List;
import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Node;
import netbook.dsl.Placed;
import netbook.dsl.Shape;

/**
 * An auxiliary classifier: it reads the activation at its place, passes that activation on
 * unchanged, and adds an extra output that exists only in training. Its loss is added to the
 * main loss with weight {@code lossWeight} (GoogLeNet: 0.3).
 * <pre>aux(0.3, avgPool(5).stride(3), conv(128, 1), relu(), flatten(), linear(1024), relu(), dropout(0.7), linear(1000))</pre>
 */
public record AuxHead(Sequential head, double lossWeight) implements Layer.Container {
    @Override
    public List<Node> children() { return head.items(); }

    @Override
    public Flow flow() { return new Flow.Auxiliary(lossWeight); }

    public AuxHead {
        String nested = nestedAux(head.items(), "");
        if (nested != null) {
            throw new NetbookException("aux: an auxiliary head cannot contain another auxiliary head (found at "
                    + nested + "): its extra output would never reach the loss. Place both heads on the main path");
        }
    }

    private static String nestedAux(List<Node> items, String prefix) {
        for (Node n : items) {
            Layer l = n.layer() instanceof Layer.Named named ? named.layer() : n.layer();
            String path = prefix + (n.name() != null ? n.name() : l.defaultName());
            if (l instanceof AuxHead) return path;
            if (l instanceof Layer.Container c) {
                String inner = nestedAux(c.children(), path + ".");
                if (inner != null) return inner;
            }
        }
        return null;
    }

    @Override public String type() { return "AuxHead"; }
    @Override public String defaultName() { return "aux"; }

    @Override
    public List<Placed> place(Shape in) {
        return head.place(in);
    }

    @Override
    public Shape outputShape(Shape in) {
        head.outputShape(in); // checked eagerly
        return in;
    }

    /** The shape of the extra output. */
    public Shape headShape(Shape in) {
        return head.outputShape(in);
    }
}
