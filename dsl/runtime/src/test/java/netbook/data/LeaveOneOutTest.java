package netbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import netbook.dsl.NetbookException;
import org.junit.jupiter.api.Test;

/** Leave-one-out by time, and the sampled negatives of its evaluation. */
class LeaveOneOutTest {
    static Interactions toy() {
        Interactions.Builder b = Interactions.builder("toy");
        b.add("u1", "i3", 5f, 30).add("u1", "i1", 5f, 10).add("u1", "i2", 5f, 20).add("u1", "i4", 5f, 40);
        b.add("u2", "i1", 5f, 5).add("u2", "i5", 5f, 1);   // 2 items: not enough with validation
        for (int i = 6; i < 21; i++) b.add("u3", "i" + i, 4f, i);
        for (int i = 21; i < 140; i++) b.add("f" + i, "i" + i, 3f, i);   // one item each: never held out
        return b.build();
    }

    @Test
    void latestItemIsTestSecondLatestIsValidationRestTrains() {
        Interactions d = toy();
        LeaveOneOut s = LeaveOneOut.of(d, true, 1);
        SampledRanking test = s.test(3, 7);
        SampledRanking valid = s.validation(3, 7);
        assertEquals(2, s.testUsers(), "u1 and u3; u2 has too few items");
        SampledRanking.Case t = test.cases().get(0);
        assertEquals("u1", d.userId(t.user()));
        assertEquals("i4", d.itemId(t.positive()));
        assertEquals("i3", d.itemId(valid.cases().get(0).positive()));
        assertEquals(d.size() - 4, s.train().size());
        assertEquals(d.users(), s.train().users(), "numbering is kept");
    }

    @Test
    void negativesAreItemsTheUserNeverTouchedAndSeeded() {
        Interactions d = toy();
        LeaveOneOut s = LeaveOneOut.of(d, false, 1);
        int[][] seen = d.itemsByUser();
        for (SampledRanking.Case c : s.test(99, 5).cases()) {
            assertEquals(99, Arrays.stream(c.negatives()).distinct().count());
            for (int j : c.negatives()) assertTrue(Arrays.binarySearch(seen[c.user()], j) < 0, "negative " + j + " was seen");
        }
        List<SampledRanking.Case> a = s.test(99, 5).cases();
        List<SampledRanking.Case> b = s.test(99, 5).cases();
        for (int i = 0; i < a.size(); i++) assertTrue(Arrays.equals(a.get(i).negatives(), b.get(i).negatives()));
        assertFalse(Arrays.equals(a.get(0).negatives(), s.test(99, 6).cases().get(0).negatives()));
    }

    @Test
    void tooFewItemsToSampleNegativesIsAClearError() {
        LeaveOneOut s = LeaveOneOut.of(toy(), false, 1);
        NetbookException e = assertThrows(NetbookException.class, () -> s.test(200, 1));
        assertTrue(e.getMessage().contains("to sample 200 negatives"), e.getMessage());
    }

    @Test
    void withoutTimestampsTheHeldOutItemIsRandomButSeeded() {
        Interactions.Builder b = Interactions.builder("untimed");
        for (int i = 0; i < 20; i++) b.add("u1", "i" + i);
        Interactions d = b.build();
        int first = LeaveOneOut.of(d, false, 1).test(0, 1).cases().get(0).positive();
        assertEquals(first, LeaveOneOut.of(d, false, 1).test(0, 1).cases().get(0).positive());
        boolean differs = false;
        for (long seed = 2; seed < 10 && !differs; seed++) {
            differs = LeaveOneOut.of(d, false, seed).test(0, 1).cases().get(0).positive() != first;
        }
        assertTrue(differs, "another seed holds out another item");
    }
}
