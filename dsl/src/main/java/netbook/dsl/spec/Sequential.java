package netbook.dsl.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import netbook.dsl.Layer;
import netbook.dsl.NetbookException;
import netbook.dsl.Node;
import netbook.dsl.Placed;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * Children applied one after the other. Unnamed children are named by type and position:
 * {@code conv1, bn1, relu1, conv2, ...}. <pre>seq(conv(64, 3).padding(1), batchNorm(), relu())</pre>
 */
public record Sequential(List<Node> items) implements Layer.Container {
    @Override
    public List<Node> children() { return items; }

    @Override
    public Flow flow() { return new Flow.Sequence(); }

    public Sequential {
        items = List.copyOf(items);
        Set<String> seen = new HashSet<>();
        for (Node n : items) {
            if (!seen.add(n.name())) {
                throw new NetbookException("two blocks are named '" + n.name() + "' in one sequence; names must be unique");
            }
        }
    }

    /** Names each layer: its explicit name, else its default prefix and a counter. */
    public static Sequential of(List<? extends Layer> layers) {
        return new Sequential(List.of()).addAll(layers);
    }

    public Sequential addAll(List<? extends Layer> layers) {
        List<Node> nodes = new ArrayList<>(items);
        Map<String, Integer> counts = new HashMap<>();
        Set<String> used = new HashSet<>();
        for (Node n : items) {
            used.add(n.name());
        }
        for (Node n : items) {
            counts.merge(prefixOf(n.name()), 1, Integer::sum);
        }
        for (Layer l : layers) {
            if (l == null) {
                throw new NetbookException("block " + (nodes.size() + 1) + " of a sequence is null");
            }
            if (l instanceof Sequential inner && inner.items().stream().noneMatch(n -> used.contains(n.name()))) {
                // An unnamed sequence adds no level to the paths: repeat(...) in a net reads stage1, stage2.
                for (Node n : inner.items()) {
                    used.add(n.name());
                    counts.merge(prefixOf(n.name()), 1, Integer::sum);
                    nodes.add(n);
                }
                continue;
            }
            String name;
            if (l instanceof Layer.Named named) {
                name = named.name();
                l = named.layer();
            } else {
                String prefix = l.defaultName();
                int k = counts.getOrDefault(prefix, 0);
                do {
                    k++;
                    name = prefix + k;
                } while (used.contains(name));
                counts.put(prefix, k);
            }
            used.add(name);
            nodes.add(new Node(name, l));
        }
        return new Sequential(nodes);
    }

    private static String prefixOf(String name) {
        int i = name.length();
        while (i > 0 && Character.isDigit(name.charAt(i - 1))) {
            i--;
        }
        return name.substring(0, i);
    }

    @Override public String type() { return "Sequential"; }
    @Override public String defaultName() { return "seq"; }

    @Override
    public List<Placed> place(Shape in) {
        List<Placed> out = new ArrayList<>(items.size());
        Shape s = in;
        for (Node n : items) {
            out.add(new Placed(n, s));
            s = outputOf(n, s);
        }
        return out;
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape s = in;
        for (Node n : items) {
            s = outputOf(n, s);
        }
        return s;
    }

    /** A child's output shape, with the child's name added to the path of any error. */
    static Shape outputOf(Node n, Shape in) {
        try {
            return n.layer().outputShape(in);
        } catch (ShapeException e) {
            throw e.under(n.name());
        }
    }
}
