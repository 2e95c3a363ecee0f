package netbook.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import netbook.internal.djl.Scalar;

/**
 * The hinge loss with its corner rounded off over a width gamma: quadratic (0.5/gamma)(1 - a)^2
 * for 1 - gamma &lt;= a &lt; 1, linear 1 - gamma/2 - a below, 0 above. Differentiable, still not
 * strictly convex.
 * <pre>new SmoothedL1Hinge(0.5).psi(0.75);   // 0.0625</pre>
 */
public final class SmoothedL1Hinge implements MarginLoss {
    private final double gamma;

    /** @param gamma width of the quadratic part, &gt; 0 */
    public SmoothedL1Hinge(double gamma) {
        this.gamma = Parameters.positive("SmoothedL1Hinge", "gamma", gamma, "smoothedL1Hinge(0.5)");
    }

    public double gamma() { return gamma; }

    @Override public String name() { return "SmoothedL1Hinge(gamma=" + Parameters.format(gamma) + ")"; }

    @Override public double psi(double a) {
        if (a >= 1 - gamma) {
            double h = Math.max(0, 1 - a);
            return 0.5 / gamma * h * h;
        }
        return 1 - gamma / 2 - a;
    }

    @Override public double deriv(double a) {
        if (a >= 1 - gamma) {
            return a >= 1 ? 0 : (a - 1) / gamma;
        }
        return -1;
    }

    @Override public double deriv2(double a) { return a < 1 - gamma || a > 1 ? 0 : 1 / gamma; }

    @Override public NDArray psi(NDArray a) {
        NDArray quadratic = Scalar.mul(Scalar.maximum(a.neg().add(1), 0).square(), 0.5 / gamma);
        NDArray linear = a.neg().add(1 - gamma / 2);
        return NDArrays.where(a.gte(1 - gamma), quadratic, linear);
    }

    @Override public MarginTraits traits() {
        return MarginTraits.declare().convex().differentiable().lipschitz().clipable().resolve(this::deriv);
    }

    @Override public String toString() { return name(); }
}
