package netbook.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The traits table equals LossFunctions.jl's flags, with the mathematically false ones corrected (and listed). */
class MarginTraitsTest {
    /** LossFunctions.jl's flags as implemented (src/traits.jl defaults applied), parenthesised notes dropped. */
    static final String REFERENCE = """
            | Loss | convex | strictly | strongly | diff | twice | Lipschitz | loc.Lip | class-calib | clipable | Fisher | univ.Fisher |
            | ZeroOne | N | N | N | N | N | Y | Y | Y | Y | N | N |
            | Perceptron | Y | N | N | N | N | Y | Y | N | Y | N | N |
            | L1Hinge | Y | N | N | N | N | Y | Y | Y | Y | Y | N |
            | SmoothedL1Hinge | Y | N | N | Y | N | Y | Y | Y | Y | N | N |
            | ModifiedHuber | Y | N | N | Y | N | Y | Y | Y | Y | N | N |
            | DWDMargin | Y | N | N | Y | Y | Y | Y | Y | N | Y | Y |
            | L2Margin | Y | Y | Y | Y | Y | N | Y | Y | Y | Y | Y |
            | L2Hinge | Y | N | N | Y | N | N | Y | Y | Y | Y | Y |
            | Sigmoid | N | N | N | Y | Y | Y | Y | Y | N | Y | Y |
            | LogitMargin | Y | Y | N | Y | Y | Y | Y | Y | N | Y | Y |
            | Exp | Y | Y | N | Y | Y | N | Y | Y | N | Y | Y |
            """;

    static List<String> referenceRows() {
        return REFERENCE.lines().skip(1).map(l -> l.replaceAll("^\\|\\s*|\\s*\\|$", "").replaceAll("\\s*\\|\\s*", " "))
                .toList();
    }

    @Test
    void traitsTableEqualsTheReference() {
        Table table = MarginLosses.traits();
        assertEquals(12, table.columnCount());
        assertEquals(MarginTraits.NAMES, table.columnNames().subList(1, 12));
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < table.rowCount(); r++) {
            StringBuilder row = new StringBuilder(table.stringColumn("loss").get(r).replaceAll("\\(.*\\)", ""));
            for (int c = 1; c < table.columnCount(); c++) {
                row.append(' ').append(table.booleanColumn(c).get(r) ? "Y" : "N");
            }
            rows.add(row.toString());
        }
        // The library's rows with Netbook's corrections applied, and nothing else changed.
        List<String> expected = new ArrayList<>();
        for (String libraryRow : referenceRows()) {
            String[] cells = libraryRow.split(" ");
            for (MarginLosses.Correction c : MarginLosses.CORRECTIONS) {
                if (!c.loss().equals(cells[0])) continue;
                int column = MarginTraits.NAMES.indexOf(c.trait()) + 1;
                assertEquals(c.lossFunctionsJl() ? "Y" : "N", cells[column], c + " states the library's flag");
                cells[column] = c.netbook() ? "Y" : "N";
            }
            expected.add(String.join(" ", cells));
        }
        assertEquals(expected, rows);
        assertEquals(3, MarginLosses.traitCorrections().rowCount());
    }

    @Test
    void theCorrectedFlagsHoldNumerically() {
        // ZeroOne: the difference quotient across 0 grows without bound, so no Lipschitz constant exists.
        ZeroOne zeroOne = new ZeroOne();
        for (double eps : new double[] {1e-1, 1e-3, 1e-6}) {
            assertEquals(1 / (2 * eps), Math.abs(zeroOne.psi(-eps) - zeroOne.psi(eps)) / (2 * eps), 1e-6 / eps);
        }
        // DWDMargin(q = 1): psi'' is 0 just left of the knot 0.5 and 4 just right of it.
        DWDMargin dwd = new DWDMargin(1);
        assertEquals(0, dwd.deriv2(0.5 - 1e-9), 1e-12);
        assertEquals(4, dwd.deriv2(0.5 + 1e-9), 1e-6);
        // ... while psi' is continuous there (differentiable): -1 on both sides.
        assertEquals(-1, dwd.deriv(0.5 - 1e-9), 1e-12);
        assertEquals(-1, dwd.deriv(0.5 + 1e-9), 1e-6);
        assertFalse(dwd.traits().twiceDifferentiable());
        assertTrue(dwd.traits().differentiable());
        assertFalse(zeroOne.traits().lipschitz());
        assertFalse(zeroOne.traits().locallyLipschitz());
    }

    @Test
    void traitsTablePrintsYesAndNo() {
        String printed = MarginLosses.traits().print();
        assertTrue(printed.contains("SmoothedL1Hinge(gamma=0.5)"), printed);
        assertFalse(printed.contains("true"), printed);
    }

    @Test
    void impliedTraitsFollowTheDefaults() {
        MarginTraits strongly = MarginTraits.declare().stronglyConvex().twiceDifferentiable()
                .universallyFisherConsistent().resolve(a -> -1);
        assertTrue(strongly.convex() && strongly.strictlyConvex() && strongly.differentiable());
        assertTrue(strongly.locallyLipschitz() && strongly.fisherConsistent() && strongly.classificationCalibrated());
        MarginTraits kinkAtZero = MarginTraits.declare().convex().differentiableExceptAt(0).resolve(a -> -1);
        assertFalse(kinkAtZero.classificationCalibrated());
        MarginTraits increasing = MarginTraits.declare().convex().differentiable().resolve(a -> 1);
        assertFalse(increasing.classificationCalibrated());
    }

    @Test
    void parametersDoNotChangeTraits() {
        assertEquals(new SmoothedL1Hinge(0.1).traits(), new SmoothedL1Hinge(3).traits());
        assertEquals(new DWDMargin(0.5).traits(), new DWDMargin(4).traits());
    }
}
