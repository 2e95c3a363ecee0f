package netbook.dsl.spec;

import netbook.dsl.Layer;
import netbook.dsl.Shape;

/** Fully connected layer on the last axis. <pre>linear(10)      linear(4096).noBias()</pre> */
public record Linear(int units, boolean bias) implements Layer {
    public Linear {
        Checks.positive("Linear", "units", units);
    }

    public Linear noBias() { return new Linear(units, false); }

    @Override public String type() { return "Linear"; }
    @Override public String defaultName() { return "fc"; }

    @Override
    public Shape outputShape(Shape in) {
        Checks.vector(type(), in);
        return Shape.of(units);
    }

    @Override public long params(Shape in) { return in.dim(0) * units + (bias ? units : 0); }
    @Override public long macs(Shape in) { return in.dim(0) * units; }
}
