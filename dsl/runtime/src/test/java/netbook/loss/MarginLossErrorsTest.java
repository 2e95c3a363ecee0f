package netbook.loss;

import static netbook.loss.MarginLosses.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import netbook.dsl.NetbookException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad parameters and bad labels are reported with the loss's name and the value received. */
class MarginLossErrorsTest {
    @ParameterizedTest
    @ValueSource(doubles = {0, -0.5, Double.NaN, Double.POSITIVE_INFINITY})
    void smoothedL1HingeRejectsGammaThatIsNotPositive(double gamma) {
        NetbookException e = assertThrows(NetbookException.class, () -> smoothedL1Hinge(gamma));
        assertEquals("SmoothedL1Hinge: gamma must be a finite number > 0, received " + gamma
                + " (for example smoothedL1Hinge(0.5))", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -2, Double.NaN})
    void dwdMarginRejectsQThatIsNotPositive(double q) {
        NetbookException e = assertThrows(NetbookException.class, () -> dwdMargin(q));
        assertEquals("DWDMargin: q must be a finite number > 0, received " + q
                + " (for example dwdMargin(1))", e.getMessage());
    }

    static String error(float[] predictions, Shape predictionShape, float[] labels, Shape labelShape) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = new NDList(manager.create(predictions).reshape(predictionShape));
            NDList y = new NDList(manager.create(labels).reshape(labelShape));
            return assertThrows(NetbookException.class, () -> l1Hinge().toDjl().evaluate(y, f)).getMessage();
        }
    }

    @Test
    void labelsOtherThanSignsOrZeroOneAreAnError() {
        assertEquals("L1Hinge loss: labels must be -1 or +1 (or 0 or 1, read as 0 -> -1), received 2.0 at index 1",
                error(new float[] {0.5f, 1, -1}, new Shape(3), new float[] {1, 2, -1}, new Shape(3)));
    }

    @Test
    void labelsMixingMinusOneAndZeroAreAnError() {
        assertEquals("L1Hinge loss: labels mix -1 and 0; use {-1, +1} or {0, 1}",
                error(new float[] {0.5f, 1, -1}, new Shape(3), new float[] {-1, 0, 1}, new Shape(3)));
    }

    @Test
    void predictionsWithMoreThanOneColumnAreAnError() {
        assertEquals("L1Hinge loss: predictions must have shape (N) or (N, 1), received (2, 2)."
                        + " A binary classifier ends in a single output, e.g. linear(1).",
                error(new float[] {0.5f, 1, -1, 2}, new Shape(2, 2), new float[] {1, -1}, new Shape(2)));
    }

    @Test
    void labelCountMustMatchPredictionCount() {
        assertEquals("L1Hinge loss: 3 predictions but 2 labels",
                error(new float[] {0.5f, 1, -1}, new Shape(3), new float[] {1, -1}, new Shape(2)));
    }
}
