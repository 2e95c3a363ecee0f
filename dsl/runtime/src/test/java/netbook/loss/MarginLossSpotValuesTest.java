package netbook.loss;

import static netbook.loss.MarginLosses.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** psi and psi' equal the spot values described in src/docs/references.md section 3, in doubles and in NDArrays. */
class MarginLossSpotValuesTest {
    static final double[] A = {-2, -0.5, 0, 0.5, 0.75, 2};

    /** The spot values psi(a) / psi'(a) (src/docs/references.md section 3), one row per loss, columns a = A. */
    static final String SPOT_VALUES = """
            Perceptron | 2 / -1 | 0.5 / -1 | 0 / 0 | 0 / 0 | 0 / 0 | 0 / 0
            L1Hinge | 3 / -1 | 1.5 / -1 | 1 / -1 | 0.5 / -1 | 0.25 / -1 | 0 / 0
            SmoothedL1Hinge(0.5) | 2.75 / -1 | 1.25 / -1 | 0.75 / -1 | 0.25 / -1 | 0.0625 / -0.5 | 0 / 0
            ModifiedHuber | 8 / -4 | 2.25 / -3 | 1 / -2 | 0.25 / -1 | 0.0625 / -0.5 | 0 / 0
            DWDMargin(1) | 3 / -1 | 1.5 / -1 | 1 / -1 | 0.5 / -1 | 0.333333 / -0.444444 | 0.125 / -0.0625
            L2Margin | 9 / -6 | 2.25 / -3 | 1 / -2 | 0.25 / -1 | 0.0625 / -0.5 | 1 / 2
            L2Hinge | 9 / -6 | 2.25 / -3 | 1 / -2 | 0.25 / -1 | 0.0625 / -0.5 | 0 / 0
            Sigmoid | 1.96403 / -0.0706508 | 1.46212 / -0.786448 | 1 / -1 | 0.537883 / -0.786448 | 0.364851 / -0.596586 | 0.0359724 / -0.0706508
            LogitMargin | 2.12693 / -0.880797 | 0.974077 / -0.622459 | 0.693147 / -0.5 | 0.474077 / -0.377541 | 0.386871 / -0.320821 | 0.126928 / -0.119203
            Exp | 7.38906 / -7.38906 | 1.64872 / -1.64872 | 1 / -1 | 0.606531 / -0.606531 | 0.472367 / -0.472367 | 0.135335 / -0.135335
            ZeroOne | 1 / 0 | 1 / 0 | 0 / 0 | 0 / 0 | 0 / 0 | 0 / 0
            """;

    static final Map<String, MarginLoss> LOSSES = Map.ofEntries(
            Map.entry("ZeroOne", zeroOne()), Map.entry("Perceptron", perceptron()),
            Map.entry("L1Hinge", l1Hinge()), Map.entry("SmoothedL1Hinge(0.5)", smoothedL1Hinge(0.5)),
            Map.entry("ModifiedHuber", modifiedHuber()), Map.entry("DWDMargin(1)", dwdMargin(1)),
            Map.entry("L2Margin", l2Margin()), Map.entry("L2Hinge", l2Hinge()),
            Map.entry("Sigmoid", sigmoidLoss()), Map.entry("LogitMargin", logitMargin()),
            Map.entry("Exp", expLoss()));

    /** One case per (loss, a): the reference's psi and psi' as written. */
    static Stream<Arguments> spotValues() {
        return SPOT_VALUES.lines().flatMap(line -> {
            String[] cells = line.split("\\|");
            MarginLoss loss = LOSSES.get(cells[0].trim());
            return Stream.iterate(0, i -> i < A.length, i -> i + 1).map(i -> {
                String[] pair = cells[i + 1].split("/");
                return Arguments.of(loss, A[i], pair[0].trim(), pair[1].trim());
            });
        });
    }

    /** 1e-5 for the rounded 6-digit values, exact (up to rounding of doubles) for the others. */
    static double tolerance(String written) {
        int dot = written.indexOf('.');
        return dot >= 0 && written.length() - dot - 1 >= 5 ? 1e-5 : 1e-12;
    }

    @ParameterizedTest(name = "{0} at a = {1}: psi = {2}, psi'' = {3}")
    @MethodSource("spotValues")
    void valueAndDerivativeEqualTheReference(MarginLoss loss, double a, String psi, String deriv) {
        assertEquals(Double.parseDouble(psi), loss.psi(a), tolerance(psi), "psi");
        assertEquals(Double.parseDouble(deriv), loss.deriv(a), tolerance(deriv), "psi'");
    }

    @ParameterizedTest(name = "{0} at a = {1}: psi = {2}")
    @MethodSource("spotValues")
    void ndArrayValueEqualsTheReference(MarginLoss loss, double a, String psi, String deriv) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray value = loss.psi(manager.create(new double[] {a}));
            double expected = Double.parseDouble(psi);
            assertEquals(expected, value.toDoubleArray()[0], Math.max(tolerance(psi), 1e-12 * expected));
        }
    }

    @Test
    void everyLossOfAllHasSpotValues() {
        assertEquals(11, all().size());
        assertEquals(11, SPOT_VALUES.lines().count());
    }
}
