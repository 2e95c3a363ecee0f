package netbook.dsl.spec;

import netbook.dsl.Layer;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * Batch normalisation over the channel axis (axis 1 of (N, C, ...)). {@code momentum} follows
 * DJL and Keras: running = momentum * running + (1 - momentum) * batch (PyTorch's 0.1 is 0.9 here).
 * <pre>batchNorm().eps(1e-3)</pre>
 */
public record BatchNorm(double eps, double momentum, boolean scale, boolean center) implements Layer {
    public BatchNorm {
        if (!(eps > 0)) throw ShapeException.of("BatchNorm", "eps must be positive, received " + eps);
        if (!(momentum >= 0 && momentum < 1)) throw ShapeException.of("BatchNorm", "momentum must be in [0, 1), received " + momentum);
    }

    public static BatchNorm standard() { return new BatchNorm(1e-5, 0.9, true, true); }

    public BatchNorm eps(double e) { return new BatchNorm(e, momentum, scale, center); }
    public BatchNorm momentum(double m) { return new BatchNorm(eps, m, scale, center); }
    /** Without the learned scale gamma (Keras' Inception uses this). */
    public BatchNorm noScale() { return new BatchNorm(eps, momentum, false, center); }

    @Override public String type() { return "BatchNorm"; }
    @Override public String defaultName() { return "bn"; }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() < 1) throw ShapeException.of(type(), "expected input with channels, received " + in);
        return in;
    }

    @Override public long params(Shape in) { return in.dim(0) * ((scale ? 1 : 0) + (center ? 1 : 0)); }
    @Override public long frozenParams(Shape in) { return 2 * in.dim(0); }
}
