package netbook.loss;

import ai.djl.ndarray.NDArray;
import netbook.internal.djl.Scalar;

/**
 * The hinge loss of SVMs, max(0, 1 - a): penalises every margin below 1. Convex, Lipschitz,
 * Fisher-consistent; not differentiable at a = 1, where psi'(1) = 0.
 * <pre>new L1Hinge().psi(0.5);   // 0.5</pre>
 */
public final class L1Hinge implements MarginLoss {
    @Override public String name() { return "L1Hinge"; }

    @Override public double psi(double a) { return Math.max(0, 1 - a); }

    @Override public double deriv(double a) { return a >= 1 ? 0 : -1; }

    @Override public double deriv2(double a) { return 0; }

    @Override public NDArray psi(NDArray a) { return Scalar.maximum(a.neg().add(1), 0); }

    @Override public MarginTraits traits() {
        return MarginTraits.declare().convex().differentiableExceptAt(1).lipschitz().clipable()
                .fisherConsistent().resolve(this::deriv);
    }

    @Override public String toString() { return name(); }
}
