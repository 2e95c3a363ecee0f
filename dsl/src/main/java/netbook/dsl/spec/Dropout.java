package netbook.dsl.spec;

import netbook.dsl.Layer;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/** Zeroes a fraction {@code rate} of activations during training only. <pre>dropout(0.5)</pre> */
public record Dropout(double rate) implements Layer {
    public Dropout {
        if (!(rate >= 0 && rate < 1)) throw ShapeException.of("Dropout", "rate must be in [0, 1), received " + rate);
    }

    @Override public String type() { return "Dropout"; }
    @Override public Shape outputShape(Shape in) { return in; }
}
