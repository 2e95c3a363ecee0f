package netbook.loss;

import ai.djl.ndarray.NDArray;
import netbook.internal.djl.Scalar;

/**
 * The squared hinge loss max(0, 1 - a)^2: quadratic below a = 1, 0 above. Differentiable,
 * convex but not strongly, locally Lipschitz.
 * <pre>new L2Hinge().psi(-0.5);   // 2.25</pre>
 */
public final class L2Hinge implements MarginLoss {
    @Override public String name() { return "L2Hinge"; }

    @Override public double psi(double a) { return a >= 1 ? 0 : (1 - a) * (1 - a); }

    @Override public double deriv(double a) { return a >= 1 ? 0 : 2 * (a - 1); }

    @Override public double deriv2(double a) { return a >= 1 ? 0 : 2; }

    @Override public NDArray psi(NDArray a) { return Scalar.maximum(a.neg().add(1), 0).square(); }

    @Override public MarginTraits traits() {
        return MarginTraits.declare().convex().differentiable().clipable()
                .universallyFisherConsistent().resolve(this::deriv);
    }

    @Override public String toString() { return name(); }
}
