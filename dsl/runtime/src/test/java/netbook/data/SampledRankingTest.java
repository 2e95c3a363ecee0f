package netbook.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** HR@k and NDCG@k on a hand-made ranking. */
class SampledRankingTest {
    @Test
    void rankCountsNegativesScoringAtLeastAsHigh() {
        assertEquals(0, SampledRanking.rank(0.9, new double[] {0.1, 0.5}));
        assertEquals(1, SampledRanking.rank(0.5, new double[] {0.9, 0.1}));
        assertEquals(2, SampledRanking.rank(0.5, new double[] {0.5, 0.5, 0.1}), "ties count against");
    }

    /**
     * Three users, scores = item number (higher is better), so the ranks are known: user 0's
     * positive 9 beats negatives 1..3 (rank 0); user 1's positive 2 is beaten by 3 and 4
     * (rank 2); user 2's positive 0 is last of 4 (rank 3). At k = 3: hits 1, 1, 0;
     * NDCG 1, 1/log2(4) = 0.5, 0.
     */
    @Test
    void hitRatioAndNdcgOfAHandMadeRanking() {
        SampledRanking r = new SampledRanking(List.of(
                new SampledRanking.Case(0, 9, new int[] {1, 2, 3}),
                new SampledRanking.Case(1, 2, new int[] {3, 4, 1}),
                new SampledRanking.Case(2, 0, new int[] {1, 2, 3})));
        SampledRanking.Scorer byItem = (u, i) -> i;
        assertArrayEquals(new int[] {0, 2, 3}, r.ranks(byItem));
        SampledRanking.Result res = r.evaluate(byItem, 3);
        assertEquals(2.0 / 3, res.hr(), 1e-12);
        assertEquals((1 + 0.5 + 0) / 3, res.ndcg(), 1e-12);
        assertEquals(3, res.users());
        assertEquals(Math.sqrt((2 * Math.pow(1 - 2.0 / 3, 2) + Math.pow(2.0 / 3, 2)) / 2 / 3), res.hrStdErr(), 1e-12);
        SampledRanking.Result at1 = r.evaluate(byItem, 1);
        assertEquals(1.0 / 3, at1.hr(), 1e-12);
        assertEquals(1.0 / 3, at1.ndcg(), 1e-12);
    }

    @Test
    void ndcgIsOneOverLogTwoOfRankPlusTwo() {
        assertEquals(1.0, SampledRanking.ndcg(0, 10), 1e-12);
        assertEquals(1 / (Math.log(11) / Math.log(2)), SampledRanking.ndcg(9, 10), 1e-12);
        assertEquals(0.0, SampledRanking.ndcg(10, 10));
    }

    @Test
    void aConstantScorerGetsNoCredit() {
        SampledRanking r = new SampledRanking(List.of(new SampledRanking.Case(0, 5, new int[] {1, 2})));
        assertEquals(0.0, r.evaluate((u, i) -> 1.0, 1).hr());
    }
}
