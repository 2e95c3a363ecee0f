package netbook.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The logistic loss in margin form, ln(1 + e^(-a)): logistic regression on labels -1/+1.
 * Smooth, strictly convex, Lipschitz. Computed stably for large |a|.
 * <pre>new LogitMargin().psi(0);   // ln 2 = 0.693147</pre>
 */
public final class LogitMargin implements MarginLoss {
    @Override public String name() { return "LogitMargin"; }

    @Override public double psi(double a) {
        return a > 0 ? Math.log1p(Math.exp(-a)) : -a + Math.log1p(Math.exp(a));
    }

    @Override public double deriv(double a) { return -1 / (1 + Math.exp(a)); }

    /** e^a / (1 + e^a)^2, written with e^(-|a|) (the function is even) so it never overflows. */
    @Override public double deriv2(double a) {
        double e = Math.exp(-Math.abs(a));
        return e / ((1 + e) * (1 + e));
    }

    /** softplus(-a), PyTorch's stable ln(1 + e^x). */
    @Override public NDArray psi(NDArray a) { return Activation.softPlus(a.neg()); }

    @Override public MarginTraits traits() {
        return MarginTraits.declare().strictlyConvex().twiceDifferentiable().lipschitz()
                .universallyFisherConsistent().resolve(this::deriv);
    }

    @Override public String toString() { return name(); }
}
