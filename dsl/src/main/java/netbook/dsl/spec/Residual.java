package netbook.dsl.spec;

import java.util.ArrayList;
import java.util.List;
import netbook.dsl.Layer;
import netbook.dsl.Node;
import netbook.dsl.Placed;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * out = shortcut(x) + scale * body(x). The shortcut is the identity unless given (a projection
 * such as a strided 1x1 conv + BN). {@code scale} is Inception-ResNet's residual scaling.
 * The body's blocks sit directly under the residual in block paths ({@code unit1.conv1}); the
 * shortcut's under {@code shortcut}.
 * <pre>residual(conv(64, 3).padding(1), batchNorm(), relu(), conv(64, 3).padding(1), batchNorm())</pre>
 */
public record Residual(Sequential body, Sequential shortcut, double scale) implements Layer.Container {
    @Override
    public List<Node> children() {
        List<Node> n = new java.util.ArrayList<>(body.items());
        if (shortcut != null) n.add(new Node("shortcut", shortcut));
        return n;
    }

    @Override
    public Flow flow() { return new Flow.Residual(body.items().size(), scale); }


    /** A projection shortcut, for when the body changes the shape. */
    public Residual shortcut(Layer... layers) {
        if (layers == null || layers.length == 0) {
            throw new netbook.dsl.NetbookException("residual(...).shortcut: no layers; give the projection, e.g. shortcut(conv(64, 1).stride(2), batchNorm())");
        }
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] == null) throw new netbook.dsl.NetbookException("residual(...).shortcut: layer " + (i + 1) + " of " + layers.length + " is null");
        }
        return new Residual(body, Sequential.of(List.of(layers)), scale);
    }

    /** Scales the body's output before the addition. */
    public Residual scale(double s) {
        if (!Double.isFinite(s)) throw new netbook.dsl.NetbookException("residual(...).scale: a finite number, received " + s);
        return new Residual(body, shortcut, s);
    }

    @Override public String type() { return "Residual"; }
    @Override public String defaultName() { return "res"; }

    @Override
    public List<Placed> place(Shape in) {
        List<Placed> out = new ArrayList<>(body.place(in));
        if (shortcut != null) {
            out.add(new Placed(new Node("shortcut", shortcut), in));
        }
        return out;
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape b = body.outputShape(in);
        Shape s;
        if (shortcut == null) {
            s = in;
        } else {
            try {
                s = shortcut.outputShape(in);
            } catch (ShapeException e) {
                throw e.under("shortcut");
            }
        }
        if (!b.equals(s)) {
            String hint = shortcut == null
                    ? "Add a projection: residual(...).shortcut(conv(" + b.dim(0) + ", 1)"
                            + (b.rank() == 3 && in.rank() == 3 && in.dim(1) != b.dim(1) ? ".stride(" + Math.max(1, in.dim(1) / b.dim(1)) + ")" : "")
                            + ".noBias(), batchNorm())"
                    : "Make the shortcut produce " + b;
            throw ShapeException.of(type(), "the body gives " + b + " but the " + (shortcut == null ? "identity shortcut" : "shortcut")
                    + " gives " + s + "; the two must be equal to be added", hint);
        }
        return b;
    }
}
