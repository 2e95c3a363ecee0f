package netbook.loss;

import ai.djl.ndarray.NDArray;

/**
 * The squared margin loss (1 - a)^2, everywhere: least squares on labels -1/+1. Strongly convex;
 * Lipschitz only on bounded sets; it also penalises margins above 1.
 * <pre>new L2Margin().psi(2);   // 1</pre>
 */
public final class L2Margin implements MarginLoss {
    @Override public String name() { return "L2Margin"; }

    @Override public double psi(double a) { return (1 - a) * (1 - a); }

    @Override public double deriv(double a) { return 2 * (a - 1); }

    @Override public double deriv2(double a) { return 2; }

    @Override public NDArray psi(NDArray a) { return a.neg().add(1).square(); }

    @Override public MarginTraits traits() {
        return MarginTraits.declare().stronglyConvex().twiceDifferentiable().clipable()
                .universallyFisherConsistent().resolve(this::deriv);
    }

    @Override public String toString() { return name(); }
}
