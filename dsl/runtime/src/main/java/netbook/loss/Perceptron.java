package netbook.loss;

import ai.djl.ndarray.NDArray;
import netbook.internal.djl.Scalar;

/**
 * The perceptron loss max(0, -a): penalises a wrong or zero margin, linearly. Convex and
 * Lipschitz, not strictly convex; psi'(0) = 0 (the right-hand derivative).
 * <pre>new Perceptron().psi(-2);   // 2</pre>
 */
public final class Perceptron implements MarginLoss {
    @Override public String name() { return "Perceptron"; }

    @Override public double psi(double a) { return Math.max(0, -a); }

    @Override public double deriv(double a) { return a >= 0 ? 0 : -1; }

    @Override public double deriv2(double a) { return 0; }

    @Override public NDArray psi(NDArray a) { return Scalar.maximum(a.neg(), 0); }

    @Override public MarginTraits traits() {
        return MarginTraits.declare().convex().differentiableExceptAt(0).lipschitz().clipable()
                .resolve(this::deriv);
    }

    @Override public String toString() { return name(); }
}
