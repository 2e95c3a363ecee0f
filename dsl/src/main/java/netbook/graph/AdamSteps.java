package netbook.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Map;

/**
 * The optimiser side of a hand-written DJL training loop over a fixed list of parameter arrays:
 * a per-step scope in which intermediate arrays are freed, global-norm gradient clipping,
 * optional row masks that freeze rows, the update, and zeroing of gradients (DJL's PyTorch
 * engine accumulates them).
 */
final class AdamSteps {
    private final List<Pair<String, NDArray>> params;
    private final Optimizer optimizer;

    AdamSteps(List<Pair<String, NDArray>> params, Optimizer optimizer) {
        this.params = List.copyOf(params);
        this.optimizer = optimizer;
        for (Pair<String, NDArray> p : params) p.getValue().setRequiresGradient(true);
    }

    /**
     * A sub-manager of {@code base} for one step: the parameters and {@code extra} arrays are
     * attached to it until it closes, so every array an operation on them creates is freed with it.
     */
    NDManager scope(NDManager base, List<NDArray> extra) {
        NDManager sub = base.newSubManager();
        for (Pair<String, NDArray> p : params) p.getValue().tempAttach(sub);
        for (NDArray a : extra) a.tempAttach(sub);
        return sub;
    }

    /** Clips the global gradient norm to {@code clipNorm} (0: no clipping), masks rows, updates, zeroes; returns the norm before clipping. */
    double step(double clipNorm, Map<String, NDArray> rowMasks) {
        NDArray[] grads = new NDArray[params.size()];
        double sq = 0;
        for (int i = 0; i < grads.length; i++) {
            grads[i] = params.get(i).getValue().getGradient();
            NDArray mask = rowMasks.get(params.get(i).getKey());
            if (mask != null) grads[i].muli(mask);
            if (clipNorm > 0) {
                try (NDArray s = grads[i].square(); NDArray t = s.sum()) {
                    sq += t.getFloat();
                }
            }
        }
        double norm = Math.sqrt(sq);
        double coef = clipNorm / (norm + 1e-6);
        for (int i = 0; i < grads.length; i++) {
            if (clipNorm > 0 && coef < 1) grads[i].muli((float) coef);
            optimizer.update(params.get(i).getKey(), params.get(i).getValue(), grads[i]);
            grads[i].subi(grads[i]);
            grads[i].close();
        }
        return norm;
    }

    /** GCC's {@code warmup_linear}: x / warmup while x &lt; warmup, then linear decay to 0 at x = 1. */
    static double warmupLinear(double x, double warmup) {
        if (x < warmup) return x / warmup;
        return Math.max((x - 1) / (warmup - 1), 0);
    }
}
