package netbook.loss;

import static netbook.loss.MarginLosses.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** psi' and psi'' agree with finite differences away from kinks, and follow the branch conventions of src/docs/references.md section 3 at kinks. */
class MarginLossDerivativesTest {
    /** Agreements away from every kink (0, +-1, 0.5, 1 - gamma) of the eleven losses. */
    static final double[] SMOOTH_POINTS = {-2.7, -1.3, -0.8, -0.2, 0.3, 0.6, 0.8, 1.2, 2.5};

    static List<MarginLoss> losses() {
        return all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void firstDerivativeIsTheSlopeOfPsi(MarginLoss loss) {
        double h = 1e-6;
        for (double a : SMOOTH_POINTS) {
            double slope = (loss.psi(a + h) - loss.psi(a - h)) / (2 * h);
            assertEquals(slope, loss.deriv(a), 1e-6, loss + " psi' at " + a);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void secondDerivativeIsTheSlopeOfTheFirst(MarginLoss loss) {
        double h = 1e-6;
        for (double a : SMOOTH_POINTS) {
            double slope = (loss.deriv(a + h) - loss.deriv(a - h)) / (2 * h);
            assertEquals(slope, loss.deriv2(a), 1e-5, loss + " psi'' at " + a);
        }
    }

    @Test
    void kinksTakeTheValuesOfReferenceFormulas() {
        assertEquals(0, perceptron().deriv(0));
        assertEquals(0, l1Hinge().deriv(1));
        SmoothedL1Hinge smooth = smoothedL1Hinge(0.5);
        assertEquals(-1, smooth.deriv(0.5));
        assertEquals(2, smooth.deriv2(0.5));
        assertEquals(2, smooth.deriv2(1));
        assertEquals(0, smooth.deriv(1));
        assertEquals(0, modifiedHuber().deriv(1));
        assertEquals(-4, modifiedHuber().deriv(-1));
        assertEquals(2, modifiedHuber().deriv2(1));
        assertEquals(2, modifiedHuber().deriv2(-1));
        assertEquals(-1, dwdMargin(1).deriv(0.5));
        assertEquals(0, dwdMargin(1).deriv2(0.5));
        assertEquals(0, l2Hinge().deriv2(1));
        assertEquals(0, zeroOne().psi(0));
    }

    @Test
    void secondDerivativesHaveTheReferenceFormulas() {
        assertEquals(2, l2Margin().deriv2(-5));
        assertEquals(Math.exp(1), expLoss().deriv2(-1), 1e-12);
        assertEquals(0.25, logitMargin().deriv2(0), 1e-12);
        assertEquals(0, logitMargin().deriv2(1000));
        assertEquals(0, sigmoidLoss().deriv2(0));
        // DWDMargin(q = 2): q^(q+1) / (q+1)^q / a^(q+2) = 8 / 9 / 16 at a = 2
        assertEquals(8.0 / 9 / 16, dwdMargin(2).deriv2(2), 1e-12);
        assertEquals(1 / 0.25, smoothedL1Hinge(0.25).deriv2(0.9), 1e-12);
    }

    @Test
    void modifiedHuberIsFourTimesSmoothedL1HingeWithGammaTwo() {
        MarginLoss smooth = smoothedL1Hinge(2);
        for (double a = -3; a <= 3; a += 0.125) {
            assertEquals(4 * smooth.psi(a), modifiedHuber().psi(a), 1e-12, "psi at " + a);
            assertEquals(4 * smooth.deriv(a), modifiedHuber().deriv(a), 1e-12, "psi' at " + a);
        }
    }

    @Test
    void logitMarginIsStableForLargeMargins() {
        assertEquals(1000, logitMargin().psi(-1000), 1e-9);
        assertEquals(Math.exp(-1000), logitMargin().psi(1000), 1e-300);
        assertEquals(-1, logitMargin().deriv(-1000));
    }
}
