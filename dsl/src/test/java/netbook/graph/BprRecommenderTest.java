package netbook.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netbook.data.CrossDomain;
import netbook.data.LeaveOneOut;
import netbook.data.SampledRanking;
import netbook.data.SyntheticCrossDomain;
import netbook.train.Progress;
import org.junit.jupiter.api.Test;

/** BPR-MF and LightGCN learn a planted preference structure; frozen rows never move. */
class BprRecommenderTest {
    static final CrossDomain DATA = SyntheticCrossDomain.generate(new SyntheticCrossDomain.Config(300, 150, 300, 4, 0.5, 0.3, 15, 12, 4, 0.5, 11));
    static final LeaveOneOut SPLIT = LeaveOneOut.of(DATA.target(), true, 1);

    @Test
    void mfAndLightGcnRankTheHeldOutItemFarAboveChance() {
        SampledRanking valid = SPLIT.validation(99, 1);
        SampledRanking test = SPLIT.test(99, 1);
        for (BprRecommender.Config c : new BprRecommender.Config[] {BprRecommender.Config.mf(), BprRecommender.Config.lightGcn()}) {
            BprRecommender.Trained t = BprRecommender.train("m", SPLIT.train(), valid, c.dim(16).lr(0.01).epochs(40), BprRecommender.Init.random(), Progress.none());
            double hr = test.evaluate(t, 10).hr();
            assertTrue(hr > 0.25, c + ": HR@10 " + hr + " (chance 0.10)");
        }
    }

    @Test
    void frozenInitialRowsStayExactlyAsGiven() {
        int users = SPLIT.train().users();
        float[][] given = new float[users][];
        given[0] = new float[] {0.1f, -0.2f, 0.3f, 0.05f};
        given[3] = new float[] {1, 2, 3, 4};
        BprRecommender.Trained t = BprRecommender.train("a", SPLIT.train(), SPLIT.validation(99, 1),
                BprRecommender.Config.mf().dim(4).epochs(4), new BprRecommender.Init(given, null, true), Progress.none());
        assertArrayEquals(given[0], t.users()[0], 0f);
        assertArrayEquals(given[3], t.users()[3], 0f);
        BprRecommender.Trained free = BprRecommender.train("b", SPLIT.train(), SPLIT.validation(99, 1),
                BprRecommender.Config.mf().dim(4).epochs(4), new BprRecommender.Init(given, null, false), Progress.none());
        assertTrue(!java.util.Arrays.equals(given[3], free.users()[3]), "unfrozen rows train");
    }
}
