package netbook.loss;

import ai.djl.ndarray.NDArray;
import netbook.internal.djl.Scalar;

/**
 * Bayesian personalised ranking (Rendle et al. 2009) as LightGCN's code computes it: for triples
 * (user u, interacted item i, sampled item j) with scores {@code s = <e_u, e_i>},
 * <pre>
 * loss = mean(softplus(s_uj - s_ui))            = -mean(ln sigma(s_ui - s_uj))
 * reg  = 1/2 (|e_u|^2 + |e_i|^2 + |e_j|^2) / B  on the layer-0 (ego) embeddings of the batch
 * total = loss + lambda * reg
 * </pre>
 * <pre>NDArray total = BprLoss.loss(sPos, sNeg).add(BprLoss.l2(eu, ei, ej).mul(1e-4));</pre>
 */
public final class BprLoss {
    private BprLoss() {}

    /** {@code mean(softplus(sNeg - sPos))}, a scalar; both are (B) scores. */
    public static NDArray loss(NDArray sPos, NDArray sNeg) {
        return ai.djl.nn.Activation.softPlus(sNeg.sub(sPos)).mean();
    }

    /** {@code 1/2 * (sum of squares of every row given) / B}, B the rows of the first array. */
    public static NDArray l2(NDArray... embeddings) {
        long b = embeddings[0].getShape().get(0);
        NDArray sum = null;
        for (NDArray e : embeddings) {
            NDArray s = e.square().sum();
            sum = sum == null ? s : sum.add(s);
        }
        return Scalar.mul(sum, 0.5 / b);
    }

    /** The same loss on plain numbers: {@code -mean(ln sigma(sPos[b] - sNeg[b]))}. */
    public static double loss(double[] sPos, double[] sNeg) {
        if (sPos.length != sNeg.length || sPos.length == 0) {
            throw new IllegalArgumentException("BprLoss: expected equal, non-zero numbers of scores, received "
                    + sPos.length + " and " + sNeg.length);
        }
        double total = 0;
        for (int b = 0; b < sPos.length; b++) {
            double x = sNeg[b] - sPos[b];
            total += Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); // softplus, stable
        }
        return total / sPos.length;
    }
}
