package netbook.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import java.util.List;

/**
 * Training losses. Networks with auxiliary heads get {@link #withAuxiliary}: the main loss plus
 * each head's loss times its weight (GoogLeNet: main + 0.3 * aux1 + 0.3 * aux2).
 * <pre>Losses.crossEntropy()     Losses.mse()</pre>
 */
public final class Losses {
    private Losses() {}

    /** Softmax cross-entropy on logits with integer class labels. */
    public static Loss crossEntropy() {
        return new SoftmaxCrossEntropyLoss("cross_entropy");
    }

    /** Mean squared error. */
    public static Loss mse() {
        return Loss.l2Loss("mse", 1f);
    }

    /** Applies {@code main} to output 0 and to each auxiliary output i, weighted by {@code weights[i-1]}. */
    public static Loss withAuxiliary(Loss main, List<Double> weights) {
        return weights.isEmpty() ? main : new WeightedOutputs(main, weights);
    }

    private static final class WeightedOutputs extends Loss {
        private final Loss main;
        private final List<Double> weights;

        WeightedOutputs(Loss main, List<Double> weights) {
            super(main.getName());
            this.main = main;
            this.weights = List.copyOf(weights);
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray total = main.evaluate(labels, new NDList(predictions.get(0)));
            // In inference the auxiliary outputs are absent: the loss is the main one alone.
            for (int i = 1; i < predictions.size() && i <= weights.size(); i++) {
                total = total.add(main.evaluate(labels, new NDList(predictions.get(i))).mul(weights.get(i - 1).floatValue()));
            }
            return total;
        }
    }
}
