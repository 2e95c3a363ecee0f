package netbook.dsl.spec;

import java.util.Arrays;
import netbook.dsl.Layer;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/** Reshapes each example, keeping the batch axis. <pre>reshape(1, 28, 28)</pre> */
public record Reshape(long[] dims) implements Layer {
    @Override public String type() { return "Reshape"; }

    @Override
    public Shape outputShape(Shape in) {
        Shape out = Shape.of(dims);
        if (out.size() != in.size()) {
            throw ShapeException.of(type(), "cannot reshape " + in + " (" + in.size() + " values) to " + out
                    + " (" + out.size() + " values)");
        }
        return out;
    }

    @Override public boolean equals(Object o) { return o instanceof Reshape r && Arrays.equals(dims, r.dims); }
    @Override public int hashCode() { return Arrays.hashCode(dims); }
    @Override public String toString() { return "Reshape" + Arrays.toString(dims); }
}
