package netbook.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import netbook.internal.djl.Scalar;

/**
 * The modified Huber loss: max(0, 1 - a)^2 for a &gt;= -1, linear -4a below. It is 4 times
 * {@link SmoothedL1Hinge} with gamma = 2: differentiable, convex, Lipschitz.
 * <pre>new ModifiedHuber().psi(-2);   // 8</pre>
 */
public final class ModifiedHuber implements MarginLoss {
    @Override public String name() { return "ModifiedHuber"; }

    @Override public double psi(double a) {
        if (a >= -1) {
            double h = Math.max(0, 1 - a);
            return h * h;
        }
        return -4 * a;
    }

    @Override public double deriv(double a) {
        if (a >= -1) {
            return a > 1 ? 0 : 2 * a - 2;
        }
        return -4;
    }

    @Override public double deriv2(double a) { return a < -1 || a > 1 ? 0 : 2; }

    @Override public NDArray psi(NDArray a) {
        NDArray quadratic = Scalar.maximum(a.neg().add(1), 0).square();
        return NDArrays.where(a.gte(-1), quadratic, Scalar.mul(a, -4));
    }

    @Override public MarginTraits traits() {
        return MarginTraits.declare().convex().differentiable().lipschitz().clipable().resolve(this::deriv);
    }

    @Override public String toString() { return name(); }
}
