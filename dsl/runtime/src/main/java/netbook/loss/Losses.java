package netbook.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import java.util.List;
import java.util.Map;
import netbook.internal.djl.Scalar;

/**
 * Training losses. Networks with auxiliary heads get {@link #withAuxiliary}: the main loss plus
 * each head's loss times its weight (GoogLeNet: main + 0.3 * aux1 + 0.3 * aux2).
 * <pre>Losses.crossEntropy()     Losses.mse()     Losses.triplet(0.2)</pre>
 */
public final class Losses {
    private Losses() {}

    /** Softmax cross-entropy on logits with integer class labels. */
    public static Loss crossEntropy() {
        return new SoftmaxCrossEntropyLoss("cross_entropy");
    }

    /**
     * Mean squared error. Not DJL's {@code L2Loss}: it multiplies by its weight as a number, whose
     * backward reads freed memory on the PyTorch engine ({@link netbook.internal.djl.Scalar}).
     */
    public static Loss mse() {
        return new Loss("mse") {
            @Override
            public NDArray evaluate(NDList labels, NDList predictions) {
                NDArray pred = predictions.head();
                return labels.head().reshape(pred.getShape()).sub(pred).square().mean();
            }
        };
    }

    /**
     * FaceNet's triplet loss with semi-hard negatives on L2-normalised embeddings ({@link TripletLoss}): for a network
     * whose output is an embedding; it classifies with {@link TripletLoss#nearestCentroid}. Train it
     * with {@code Fit.accuracy(false)}: an embedding's largest value names no class.
     */
    public static TripletLoss triplet(double margin) {
        return new TripletLoss(margin);
    }

    /**
     * Applies {@code main} to output 0 and to each auxiliary output found by its name, weighted:
     * {@code weights} maps output names to loss weights ({@code Compiler.auxiliaryWeights(block)}).
     */
    public static Loss withAuxiliary(Loss main, Map<String, Double> weights) {
        return weights.isEmpty() ? main : new WeightedOutputs(main, weights);
    }

    private static final class WeightedOutputs extends Loss {
        private final Loss main;
        private final Map<String, Double> weights;

        WeightedOutputs(Loss main, Map<String, Double> weights) {
            super(main.getName());
            this.main = main;
            // In the network's order: Map.copyOf's order changes from JVM to JVM, and so would the sum's rounding.
            this.weights = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(weights));
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray total = main.evaluate(labels, new NDList(predictions.get(0)));
            // In inference the auxiliary outputs are absent: the loss is the main one alone.
            for (var w : weights.entrySet()) {
                NDArray aux = predictions.get(w.getKey());
                if (aux != null) total = total.add(Scalar.mul(main.evaluate(labels, new NDList(aux)), w.getValue()));
            }
            return total;
        }
    }
}
