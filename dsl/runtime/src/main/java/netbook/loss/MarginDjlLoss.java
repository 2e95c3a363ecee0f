package netbook.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import netbook.dsl.NetbookException;
import netbook.internal.djl.Scalar;

/**
 * A margin loss as a DJL loss: mean psi(y * f(x)) over the batch. Predictions have shape (N) or
 * (N, 1); labels have N values in {-1, +1}, or in {0, 1}, read as 0 -> -1 and 1 -> +1.
 * <pre>trainingConfig = new DefaultTrainingConfig(MarginLosses.l1Hinge().toDjl());</pre>
 */
final class MarginDjlLoss extends Loss {
    private final MarginLoss loss;

    MarginDjlLoss(MarginLoss loss) {
        super(loss.name());
        this.loss = loss;
    }

    /** The margin loss this DJL loss computes. */
    MarginLoss marginLoss() {
        return loss;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray f = vector(single(predictions, "predictions f(x)"), "predictions");
        NDArray y = signs(vector(single(labels, "labels"), "labels"), f);
        return loss.psi(y.mul(f)).mean();
    }

    private NDArray single(NDList list, String what) {
        if (list.size() != 1) {
            throw new NetbookException(loss.name() + " loss: expected one array of " + what
                    + ", received " + list.size());
        }
        return list.head();
    }

    /** (N) or (N, 1) as (N). */
    private NDArray vector(NDArray array, String what) {
        Shape shape = array.getShape();
        if (shape.dimension() == 1) {
            return array;
        }
        if (shape.dimension() == 2 && shape.get(1) == 1) {
            return array.reshape(shape.get(0));
        }
        throw new NetbookException(loss.name() + " loss: " + what + " must have shape (N) or (N, 1), received "
                + shape + ". A binary classifier ends in a single output, e.g. linear(1).");
    }

    /** Labels as -1/+1 in f's data type and device; 0/1 labels are converted, anything else is an error. */
    private NDArray signs(NDArray labels, NDArray f) {
        if (labels.size() != f.size()) {
            throw new NetbookException(loss.name() + " loss: " + f.size() + " predictions but "
                    + labels.size() + " labels");
        }
        NDArray y = labels.toDevice(f.getDevice(), false).toType(f.getDataType(), false);
        float[] values = labels.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        boolean minusOne = false;
        boolean zero = false;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (v == -1) {
                minusOne = true;
            } else if (v == 0) {
                zero = true;
            } else if (v != 1) {
                throw new NetbookException(loss.name() + " loss: labels must be -1 or +1 (or 0 or 1, read as"
                        + " 0 -> -1), received " + v + " at index " + i);
            }
        }
        if (minusOne && zero) {
            throw new NetbookException(loss.name() + " loss: labels mix -1 and 0; use {-1, +1} or {0, 1}");
        }
        return zero ? Scalar.mul(y, 2).sub(1) : y;
    }
}
