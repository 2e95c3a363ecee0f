package netbook.dsl.spec;

import netbook.dsl.Layer;
import netbook.dsl.Shape;

/**
 * Average pooling to a fixed output grid, whatever the input size (PyTorch's
 * AdaptiveAvgPool2d). {@code flatten} gives (N, C) directly, as a global average pool.
 * <pre>adaptiveAvgPool(6, 6)     globalAvgPool()</pre>
 */
public record AdaptiveAvgPool(int outH, int outW, boolean flatten) implements Layer {
    public AdaptiveAvgPool {
        Checks.positive("AdaptiveAvgPool2d", "output size", Math.min(outH, outW));
    }

    @Override public String type() { return flatten ? "GlobalAvgPool2d" : "AdaptiveAvgPool2d"; }
    @Override public String defaultName() { return flatten ? "gap" : "avgpool"; }

    @Override
    public Shape outputShape(Shape in) {
        Checks.image(type(), in);
        if (flatten) {
            return Shape.of(in.dim(0));
        }
        return Shape.of(in.dim(0), outH, outW);
    }
}
