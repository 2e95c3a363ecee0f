package netbook.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedRatioTest {
    @Test
    void identicalRoundsGiveAPointIntervalThatClearsTheTarget() {
        PairedRatio r = PairedRatio.of(List.of(2.0, 4.0, 6.0), List.of(1.0, 2.0, 3.0));
        assertEquals(2.0, r.mean(), 1e-12);
        assertEquals(2.0, r.low(), 1e-12);
        assertEquals(2.0, r.high(), 1e-12);
        assertEquals("pass", r.verdict(1.0, true));
        assertEquals("FAIL", r.verdict(1.0, false));
    }

    @Test
    void intervalIsStudentsTOnLogRatios() {
        // ln 1.1 = 0.0953102, ln 0.9 = -0.1053605: mean -0.0050252, sample sd 0.1418952,
        // standard error 0.1003353, t(0.975, 1) = 12.706 -> half width 1.2748603.
        PairedRatio r = PairedRatio.of(List.of(1.1, 0.9), List.of(1.0, 1.0));
        assertEquals(Math.exp(-0.0050252), r.mean(), 1e-6);
        assertEquals(Math.exp(-0.0050252 - 1.2748603), r.low(), 1e-5);
        assertEquals(Math.exp(-0.0050252 + 1.2748603), r.high(), 1e-4);
        assertEquals(2, r.rounds());
        assertEquals("within noise", r.verdict(1.0, true));
    }

    @Test
    void aWhollySlowerIntervalFailsAndAWhollyFasterTimePasses() {
        PairedRatio slower = PairedRatio.of(List.of(0.80, 0.82, 0.79, 0.81), List.of(1.0, 1.0, 1.0, 1.0));
        assertTrue(slower.high() < 1.0);
        assertEquals("FAIL", slower.verdict(1.0, true));
        // the same numbers as seconds per step: lower is better, so under 1.0 passes
        assertEquals("pass", slower.verdict(1.0, false));
    }

    @Test
    void missingPeerAndSingleRoundAreNamed() {
        assertEquals("no peer", PairedRatio.of(List.of(1.0), List.of()).verdict(1.0, true));
        PairedRatio one = PairedRatio.of(List.of(1.2), List.of(1.0));
        assertEquals(1.2, one.mean(), 1e-12);
        assertEquals("one round", one.verdict(1.0, true));
        assertEquals("-", one.interval());
    }

    @Test
    void badInputNamesTheRound() {
        assertThrows(IllegalArgumentException.class, () -> PairedRatio.of(List.of(1.0, 2.0), List.of(1.0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedRatio.of(List.of(1.0, 0.0), List.of(1.0, 1.0)));
        assertTrue(e.getMessage().startsWith("round 2"), e.getMessage());
    }

    @Test
    void tQuantilesFallToTheNormalOneForLargeSamples() {
        assertEquals(2.776, PairedRatio.t975(4), 1e-9);
        assertEquals(1.96, PairedRatio.t975(200), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> PairedRatio.t975(0));
    }
}
