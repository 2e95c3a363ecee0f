package netbook.loss;

import ai.djl.ndarray.NDArray;

/**
 * The sigmoid loss 1 - tanh(a), with values in (0, 2): penalises every prediction, right ones
 * less. Smooth and Lipschitz but not convex; classification-calibrated all the same.
 * <pre>new Sigmoid().psi(0);   // 1</pre>
 */
public final class Sigmoid implements MarginLoss {
    @Override public String name() { return "Sigmoid"; }

    @Override public double psi(double a) { return 1 - Math.tanh(a); }

    @Override public double deriv(double a) {
        double sech = 1 / Math.cosh(a);
        return -sech * sech;
    }

    @Override public double deriv2(double a) {
        double sech = 1 / Math.cosh(a);
        return 2 * Math.tanh(a) * sech * sech;
    }

    @Override public NDArray psi(NDArray a) { return a.tanh().neg().add(1); }

    @Override public MarginTraits traits() {
        return MarginTraits.declare().twiceDifferentiable().lipschitz().classificationCalibrated()
                .universallyFisherConsistent().resolve(this::deriv);
    }

    @Override public String toString() { return name(); }
}
