package netbook.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class DegradationRecipeTest {
    @TempDir Path out;

    /**
     * Checks the experiment's structure, that each verdict follows from its own interval, and the
     * one direction that holds at test scale (1,024 images, 64 steps): the deeper plain network
     * trains worse in every seed. The residual pair's direction does not hold at this scale.
     */
    @Test
    void quickRunTrainsFourNetworksPerSeedAndReadsDepthInPairs() throws Exception {
        List<Table> tables = new DegradationRecipe().run(new Recipe.Settings(false, 42, null, "depths"), out);
        assertEquals(2, tables.size());
        Table claims = tables.get(0);
        Table runs = tables.get(1);
        assertEquals(12, runs.rowCount());
        assertEquals(6, claims.rowCount());   // plain, residual and their difference, for train and test error
        for (int r = 0; r < runs.rowCount(); r++) {
            double e = runs.doubleColumn("train_error").get(r);
            assertTrue(e >= 0 && e <= 1, "train error " + e);
        }
        // The residual network of a depth has more parameters than the plain one (the projections).
        assertTrue(runs.where(runs.stringColumn("variant").isEqualTo("residual-20")).longColumn("params").get(0)
                > runs.where(runs.stringColumn("variant").isEqualTo("plain-20")).longColumn("params").get(0));
        for (int r = 0; r < claims.rowCount(); r++) {
            double lo = claims.doubleColumn("ci95_low").get(r);
            double hi = claims.doubleColumn("ci95_high").get(r);
            String v = claims.stringColumn("verdict").get(r);
            assertEquals(lo > 0 ? "higher" : hi < 0 ? "lower" : "within noise", v);
            assertTrue(lo <= claims.doubleColumn("mean_difference").get(r) && claims.doubleColumn("mean_difference").get(r) <= hi);
        }
        long[] seeds = PairedRuns.seeds(runs);
        double[] shallow = PairedRuns.values(runs, "plain-20", seeds, "train_error");
        double[] deep = PairedRuns.values(runs, "plain-56", seeds, "train_error");
        for (int k = 0; k < seeds.length; k++) {
            assertTrue(deep[k] > shallow[k], "seed " + seeds[k] + ": plain-56 training error " + deep[k] + " should exceed plain-20's " + shallow[k]);
        }
        assertEquals("higher", claims.where(claims.stringColumn("claim").isEqualTo("plain: depth 56 minus depth 20")
                .and(claims.stringColumn("measure").isEqualTo("train_error"))).stringColumn("verdict").get(0));
        for (String f : List.of("degradation-runs.csv", "degradation-claims.csv", "degradation-claims.html")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
    }

    /**
     * The {@code longer} part trains the residual pair alone and claims only on it. At a tiny size
     * (256 images, one epoch, two seeds) this checks the runs and the claims' rows, not a direction.
     */
    @Test
    void residualOnlyRunTrainsTheResidualPairAndClaimsOnItAlone() throws Exception {
        DegradationRecipe.Config tiny = DegradationRecipe.Config.QUICK.trainExamples(256).testExamples(64).epochs(1).width(2).seeds(2);
        List<Table> tables = new DegradationRecipe().run(new Recipe.Settings(false, 42, null, "longer"), out, tiny, true);
        Table claims = tables.get(0);
        Table runs = tables.get(1);
        assertEquals(List.of("residual-20", "residual-56", "residual-20", "residual-56"), runs.stringColumn("variant").asList());
        assertEquals(List.of(42L, 42L, 43L, 43L), runs.longColumn("seed").asList());
        assertEquals(List.of("residual: depth 56 minus depth 20", "residual: depth 56 minus depth 20"), claims.stringColumn("claim").asList());
        assertEquals(List.of("train_error", "test_error"), claims.stringColumn("measure").asList());
        for (String f : List.of("degradation-longer-runs.csv", "degradation-longer-claims.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
    }
}
