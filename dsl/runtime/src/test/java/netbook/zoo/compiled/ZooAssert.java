package netbook.zoo.compiled;

import netbook.zoo.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.Node;
import netbook.dsl.Shape;
import netbook.dsl.Summary;
import netbook.internal.djl.Compiled;
import tech.tablesaw.api.Table;

/** The zoo tests' one helper: counts and shapes from the spec, and a compiled forward pass. */
final class ZooAssert {
    private ZooAssert() {}

    /** Trainable parameters and output shape, from the summary alone (no weights allocated). */
    static Summary assertSpec(Net net, long params, Shape output) {
        Summary s = net.summary();
        assertEquals(params, s.params(), net.name() + ": trainable parameters");
        assertEquals(output, s.output(), net.name() + ": output shape");
        return s;
    }

    /**
     * Multiply-accumulates per image equal to torchvision's published figure as printed: within half
     * a unit of its last digit (1.814 means 1.8135 to 1.8145 G), which is all a rounded figure can say.
     */
    static void assertGmacsAsPrinted(Net net, double reference) {
        assertGmacsAsPrinted(net.name(), net.summary().macs() / 1e9, reference);
    }

    static void assertGmacsAsPrinted(String name, double gmacs, double reference) {
        double halfUnit = 0.5 * Math.pow(10, -java.math.BigDecimal.valueOf(reference).scale());
        assertTrue(Math.abs(gmacs - reference) <= halfUnit + 1e-12,
                name + ": " + gmacs + " GMACs does not round to the published " + reference + " (tolerance " + halfUnit + ")");
    }

    /**
     * timm counts the Inception-v4 and Inception-ResNet-v2 stems slightly differently from the
     * layers' own arithmetic (our 12.254 against its 12.28, 13.156 against 13.18): within 0.25%.
     */
    static void assertGmacsNearTimm(Net net, double reference) {
        double gmacs = net.summary().macs() / 1e9;
        assertTrue(Math.abs(gmacs - reference) / reference < 0.0025,
                net.name() + ": " + gmacs + " GMACs is not within 0.25% of timm's " + reference);
    }

    /** Output shape of the top-level block called {@code name}. */
    static Shape blockOutput(Net net, String name) {
        Shape s = net.inputShape();
        for (Node n : net.body().items()) {
            s = n.layer().outputShape(s);
            if (n.name().equals(name)) {
                return s;
            }
        }
        throw new AssertionError(net.name() + " has no top-level block " + name);
    }

    /** Parameters of all summary rows whose block path starts with {@code prefix}. */
    static long paramsUnder(Net net, String prefix) {
        Table t = net.summary().table();
        long n = 0;
        for (int r = 0; r < t.rowCount(); r++) {
            if (t.stringColumn("path").get(r).startsWith(prefix)) {
                n += t.longColumn("params").get(r);
            }
        }
        return n;
    }

    /** The leaf block at {@code path}: its type and output shape as the summary prints them. */
    static String leaf(Net net, String path) {
        Table t = net.summary().table();
        for (int r = 0; r < t.rowCount(); r++) {
            if (t.stringColumn("path").get(r).equals(path)) {
                return t.stringColumn("type").get(r) + " " + t.stringColumn("output").get(r);
            }
        }
        throw new AssertionError(net.name() + " has no block " + path);
    }

    /**
     * Compiles on the CPU, checks that the engine holds as many trainable parameters as the
     * summary counts, and runs two images at inference: one output of the spec's shape.
     */
    static void assertCompilesAndRuns(Net net) {
        try (Compiled c = Compiled.of(net, Device.cpu(), 2)) {
            assertEquals(net.summary().params(), c.trainableParams(), net.name() + ": engine vs summary parameters");
            assertEquals(net.summary().frozen(), c.frozenParams(), net.name() + ": engine vs summary frozen state");
            NDList out = c.forward(input(c, net), false);
            assertEquals(1, out.size(), net.name() + ": outputs at inference");
            assertEquals(new ai.djl.ndarray.types.Shape(net.outputShape().withBatch(2)), out.head().getShape());
        }
    }

    /** Two random images of the network's input shape. */
    static NDArray input(Compiled c, Net net) {
        return c.manager().randomNormal(new ai.djl.ndarray.types.Shape(net.inputShape().withBatch(2)));
    }

    /** The layer itself, without its name. */
    static Layer unwrap(Layer l) {
        return l instanceof Layer.Named n ? n.layer() : l;
    }
}
