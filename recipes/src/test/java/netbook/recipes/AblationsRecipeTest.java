package netbook.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class AblationsRecipeTest {
    @TempDir Path out;

    /** Structure and consistency at test scale (256 images, one epoch); the directions are for the full run. */
    @Test
    void everyVariantTrainsPerSeedAndIsComparedWithItsBaselineInPairs() throws Exception {
        List<Table> tables = new AblationsRecipe().run(Recipe.Settings.quick(), out);
        Table claims = tables.get(0);
        Table runs = tables.get(1);
        assertEquals(2 * 7, runs.rowCount());        // 2 seeds x (2 GoogLeNets + 3 VGGs + 2 AlexNets)
        assertEquals(2 * 4, claims.rowCount());      // (aux, vgg16, vgg19, lrn) x (test, train)
        // The auxiliary heads are extra layers; deeper VGGs have more parameters.
        long noAux = runs.where(runs.stringColumn("variant").isEqualTo("no aux heads")).longColumn("params").get(0);
        long aux = runs.where(runs.stringColumn("variant").isEqualTo("aux heads")).longColumn("params").get(0);
        assertTrue(aux > noAux, aux + " vs " + noAux);
        long vgg11 = runs.where(runs.stringColumn("variant").isEqualTo("vgg11-bn")).longColumn("params").get(0);
        long vgg19 = runs.where(runs.stringColumn("variant").isEqualTo("vgg19-bn")).longColumn("params").get(0);
        assertTrue(vgg19 > vgg11);
        for (int r = 0; r < claims.rowCount(); r++) {
            double lo = claims.doubleColumn("ci95_low").get(r);
            double hi = claims.doubleColumn("ci95_high").get(r);
            assertEquals(lo > 0 ? "higher" : hi < 0 ? "lower" : "within noise", claims.stringColumn("verdict").get(r));
        }
        // VGG's depth trains at a third of the configured rate, and the runs table says so
        assertTrue(runs.name().endsWith("; vgg-depth at Adam 0.00100)"), runs.name());
        assertTrue(Files.size(out.resolve("ablations-claims.csv")) > 0);
        assertTrue(Files.size(out.resolve("ablations-runs.csv")) > 0);
        // LRN has no weights: the two AlexNets have the same parameters
        long alex = runs.where(runs.stringColumn("variant").isEqualTo("alexnet-small")).longColumn("params").get(0);
        long alexLrn = runs.where(runs.stringColumn("variant").isEqualTo("alexnet-small-lrn")).longColumn("params").get(0);
        assertEquals(alex, alexLrn);
    }

    @Test
    void onlyRunsOnePart(@TempDir Path other) throws Exception {
        assertEquals(List.of("googlenet-aux", "vgg-depth", "alexnet-lrn"), new AblationsRecipe().parts());
        List<Table> tables = new AblationsRecipe().run(new Recipe.Settings(false, 42, null, "alexnet-lrn"), other);
        assertEquals(2 * 2, tables.get(1).rowCount());   // 2 seeds x 2 AlexNets
        assertEquals(2, tables.get(0).rowCount());       // lrn x (test, train)
    }
}
