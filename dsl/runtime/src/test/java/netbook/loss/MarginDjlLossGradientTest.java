package netbook.loss;

import static netbook.loss.MarginLosses.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Through the DJL loss, autograd gives y * psi'(y f) / N and the value is mean psi(y f). */
class MarginDjlLossGradientTest {
    /** |f| avoids 0, 0.5 and 1, so every agreement y * f is away from the losses' kinks. */
    static final float[] F = {1.7f, -0.3f, 0.2f, -0.65f, 1.4f, -2.3f, 0.8f, 0.9f, -0.05f, -1.2f};
    static final float[] Y = {1, 1, -1, -1, -1, 1, 1, -1, 1, -1};

    static List<MarginLoss> losses() {
        return all();
    }

    /** The loss's value and d loss / d f for these predictions and labels, by autograd. */
    static float[][] valueAndGradient(Loss loss, float[] f, Shape shape, float[] labels) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(f).reshape(shape);
            x.setRequiresGradient(true);
            NDArray y = manager.create(labels).reshape(shape);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray value = loss.evaluate(new NDList(y), new NDList(x));
                collector.backward(value);
                return new float[][] {{value.getFloat()}, x.getGradient().reshape(-1).toFloatArray()};
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void gradientIsTheAnalyticDerivativeOverN(MarginLoss loss) {
        float[][] result = valueAndGradient(loss.toDjl(), F, new Shape(F.length), Y);
        double mean = 0;
        for (int i = 0; i < F.length; i++) {
            double a = Y[i] * F[i];
            mean += loss.psi(a) / F.length;
            double expected = Y[i] * loss.deriv(a) / F.length;
            assertEquals(expected, result[1][i], 1e-6 + 1e-5 * Math.abs(expected), loss + " gradient at f = " + F[i]);
        }
        assertEquals(mean, result[0][0], 1e-5 * Math.max(1, mean), loss + " value");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void columnPredictionsAndZeroOneLabelsGiveTheSameLossAndGradient(MarginLoss loss) {
        float[] zeroOne = new float[Y.length];
        for (int i = 0; i < Y.length; i++) {
            zeroOne[i] = Y[i] > 0 ? 1 : 0;
        }
        float[][] signs = valueAndGradient(loss.toDjl(), F, new Shape(F.length), Y);
        float[][] column = valueAndGradient(loss.toDjl(), F, new Shape(F.length, 1), zeroOne);
        assertArrayEquals(signs[0], column[0], 1e-6f);
        assertArrayEquals(signs[1], column[1], 1e-7f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void theDjlLossIsNamedAfterTheMarginLoss(MarginLoss loss) {
        assertEquals(loss.name(), loss.toDjl().getName());
    }
}
