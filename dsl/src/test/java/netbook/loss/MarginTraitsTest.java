package netbook.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The traits table equals reference.md section 4's (LossFunctions.jl as implemented). */
class MarginTraitsTest {
    /** reference.md 4, parenthesised notes dropped. */
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
        assertEquals(referenceRows(), rows);
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
