package netbook.dsl.spec;

import netbook.dsl.Layer;
import netbook.dsl.Shape;

/**
 * AlexNet's local response normalisation across channels, as PyTorch computes it:
 * b = a / (k + alpha / size * sum over {@code size} neighbouring channels of a^2)^beta.
 * <pre>lrn(5).alpha(1e-4).beta(0.75).k(2)</pre>
 */
public record LocalResponseNorm(int size, double alpha, double beta, double k) implements Layer {
    public LocalResponseNorm {
        Checks.positive("LocalResponseNorm", "size", size);
    }

    public LocalResponseNorm alpha(double a) { return new LocalResponseNorm(size, a, beta, k); }
    public LocalResponseNorm beta(double b) { return new LocalResponseNorm(size, alpha, b, k); }
    public LocalResponseNorm k(double kk) { return new LocalResponseNorm(size, alpha, beta, kk); }

    @Override public String type() { return "LocalResponseNorm"; }
    @Override public String defaultName() { return "lrn"; }

    @Override
    public Shape outputShape(Shape in) {
        Checks.image(type(), in);
        return in;
    }
}
