package netbook.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netbook.dsl.NetbookException;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void intervalIsTheMeanPlusMinusTTimesTheStandardError() {
        // 1, 2, 3: mean 2, sample sd 1, t(0.975, 2) = 4.303: half-width 4.303 / sqrt(3) = 2.4843
        Seeds.Interval i = Seeds.interval(1, 2, 3);
        assertEquals(2.0, i.mean(), 1e-12);
        assertEquals(4.303 / Math.sqrt(3), i.halfWidth(), 1e-9);
        assertEquals("within noise", i.verdict());
        // five values 0.10, 0.12, 0.11, 0.13, 0.14: mean 0.12, sd sqrt(0.001/4) = 0.0158114, t(4) = 2.776
        Seeds.Interval j = Seeds.interval(0.10, 0.12, 0.11, 0.13, 0.14);
        assertEquals(0.12, j.mean(), 1e-12);
        assertEquals(2.776 * Math.sqrt(0.001 / 4) / Math.sqrt(5), j.halfWidth(), 1e-9);
        assertEquals("higher", j.verdict());
        assertEquals("lower", Seeds.interval(-0.10, -0.12, -0.11, -0.13, -0.14).verdict());
    }

    @Test
    void pairedDifferencesCancelWhatTheSeedsShare() {
        // Each seed moves both settings alike; b is 0.01 above a every time.
        double[] a = {0.30, 0.50, 0.40};
        double[] b = {0.31, 0.51, 0.41};
        Seeds.Interval d = Seeds.pairedDifference(b, a);
        assertEquals(0.01, d.mean(), 1e-12);
        assertTrue(d.halfWidth() < 1e-9, d.toString());
        assertEquals("higher", d.verdict());
        // Matched with the wrong seeds, the same values are within noise.
        assertEquals("within noise", Seeds.interval(0.31 - 0.30, 0.51 - 0.40, 0.41 - 0.50).verdict());
    }

    @Test
    void tooFewSeedsAndDivergedRunsAreErrors() {
        assertThrows(NetbookException.class, () -> Seeds.interval(0.5));
        NetbookException e = assertThrows(NetbookException.class, () -> Seeds.interval(0.5, Double.NaN, 0.4));
        assertTrue(e.getMessage().contains("seed 2 of 3"), e.getMessage());
        assertThrows(NetbookException.class, () -> Seeds.pairedDifference(new double[] {1, 2}, new double[] {1, 2, 3}));
        assertEquals(1.96 + 2.4 / 60, Seeds.t975(60), 1e-12);
    }
}
