package netbook.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * The distance-weighted discrimination loss: 1 - a up to a = q/(q+1), then the decaying tail
 * q^q / ((q+1)^(q+1) a^q). A differentiable generalisation of {@link L1Hinge} that never reaches 0.
 * <pre>new DWDMargin(1).psi(2);   // 0.125</pre>
 */
public final class DWDMargin implements MarginLoss {
    private final double q;
    private final double knot;

    /** @param q the tail's power, &gt; 0 */
    public DWDMargin(double q) {
        this.q = Parameters.positive("DWDMargin", "q", q, "dwdMargin(1)");
        this.knot = q / (q + 1);
    }

    public double q() { return q; }

    @Override public String name() { return "DWDMargin(q=" + Parameters.format(q) + ")"; }

    @Override public double psi(double a) {
        return a <= knot ? 1 - a : Math.pow(q, q) / (Math.pow(q + 1, q + 1) * Math.pow(a, q));
    }

    @Override public double deriv(double a) {
        return a <= knot ? -1 : -Math.pow(knot, q + 1) / Math.pow(a, q + 1);
    }

    @Override public double deriv2(double a) {
        return a <= knot ? 0 : Math.pow(q, q + 1) / Math.pow(q + 1, q) / Math.pow(a, q + 2);
    }

    /** The tail is computed at max(a, q/(q+1)), so the unused branch never divides by 0 or a negative power. */
    @Override public NDArray psi(NDArray a) {
        NDArray tail = a.maximum(knot).pow(-q).mul(Math.pow(q, q) / Math.pow(q + 1, q + 1));
        return NDArrays.where(a.lte(knot), a.neg().add(1), tail);
    }

    @Override public MarginTraits traits() {
        // Differentiable, but psi'' jumps at the knot q/(q+1), from 0 to q^(q+1)/(q+1)^q/knot^(q+2)
        // (4 for q = 1): not twice differentiable, although LossFunctions.jl flags it so.
        return MarginTraits.declare().convex().differentiable().lipschitz()
                .universallyFisherConsistent().resolve(this::deriv);
    }

    @Override public String toString() { return name(); }
}
