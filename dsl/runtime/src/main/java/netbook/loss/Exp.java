package netbook.loss;

import ai.djl.ndarray.NDArray;

/**
 * The exponential loss e^(-a) of AdaBoost. Smooth and strictly convex, but neither Lipschitz nor
 * clipable: one badly wrong prediction can dominate a batch.
 * <pre>new Exp().psi(-2);   // 7.38906</pre>
 */
public final class Exp implements MarginLoss {
    @Override public String name() { return "Exp"; }

    @Override public double psi(double a) { return Math.exp(-a); }

    @Override public double deriv(double a) { return -Math.exp(-a); }

    @Override public double deriv2(double a) { return Math.exp(-a); }

    @Override public NDArray psi(NDArray a) { return a.neg().exp(); }

    @Override public MarginTraits traits() {
        return MarginTraits.declare().strictlyConvex().twiceDifferentiable()
                .universallyFisherConsistent().resolve(this::deriv);
    }

    @Override public String toString() { return name(); }
}
