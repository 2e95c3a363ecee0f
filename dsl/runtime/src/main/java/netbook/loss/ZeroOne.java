package netbook.loss;

import ai.djl.ndarray.NDArray;
import netbook.internal.djl.Scalar;

/**
 * The 0-1 loss: 1 for a wrong sign (a &lt; 0), 0 otherwise. Neither convex nor continuous, and
 * its derivative is 0 wherever it exists: an evaluation metric, minimised through surrogates.
 * <pre>new ZeroOne().psi(-0.1);   // 1</pre>
 */
public final class ZeroOne implements MarginLoss {
    @Override public String name() { return "ZeroOne"; }

    @Override public double psi(double a) { return a < 0 ? 1 : 0; }

    @Override public double deriv(double a) { return 0; }

    @Override public double deriv2(double a) { return 0; }

    /** 1 where a &lt; 0; the term {@code 0 * a} keeps the graph, so backward gives a zero gradient. */
    @Override public NDArray psi(NDArray a) {
        return Scalar.mul(a, 0).add(a.lt(0).toType(a.getDataType(), false));
    }

    @Override public MarginTraits traits() {
        // Not Lipschitz: psi jumps from 1 to 0 at a = 0 (LossFunctions.jl flags it Lipschitz because its
        // derivative is bounded where it exists; MarginLosses.traitCorrections() shows both).
        return MarginTraits.declare().differentiableExceptAt(0).clipable()
                .classificationCalibrated().resolve(this::deriv);
    }

    @Override public String toString() { return name(); }
}
