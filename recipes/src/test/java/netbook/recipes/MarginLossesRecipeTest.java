package netbook.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import netbook.loss.MarginLosses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** The quick recipe runs end to end on real Fashion-MNIST and writes its figure and tables. */
class MarginLossesRecipeTest {
    @TempDir Path out;

    @Test
    void quickRunWritesFigureAndTablesAndHingeSeparatesTrousersFromBags() throws Exception {
        Recipe recipe = Recipes.all().get("margin-losses");
        List<Table> tables = recipe.run(Recipe.Settings.quick(), out);

        try (var files = Files.list(out)) {
            assertEquals(List.of(
                            "margin-loss-trait-corrections.csv", "margin-loss-trait-corrections.csv.stamp.json",
                            "margin-loss-trait-corrections.html",
                            "margin-loss-traits.csv", "margin-loss-traits.csv.stamp.json", "margin-loss-traits.html",
                            "margin-losses-curves.csv", "margin-losses-curves.csv.stamp.json", "margin-losses-curves.html",
                            "margin-losses-environment.csv", "margin-losses-environment.csv.stamp.json",
                            "margin-losses-environment.html",
                            "margin-losses-paired.csv", "margin-losses-paired.csv.stamp.json", "margin-losses-paired.html",
                            "margin-losses-results.csv", "margin-losses-results.csv.stamp.json", "margin-losses-results.html",
                            "margin-losses.svg"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "and no temporary files");
        }
        String svg = Files.readString(out.resolve("margin-losses.svg"));
        assertEquals(22, Pattern.compile("<polyline").matcher(svg).results().count(), "psi and psi' of 11 losses");
        assertTrue(svg.contains("Smooth \u03b3=0.5") && svg.contains("DWD q=1") && svg.contains("LogitMargin"), "legend names the losses");
        assertTrue(!svg.contains("<script") && !svg.contains("href"), "offline: no scripts, no links");

        Table results = tables.get(0);
        assertEquals(2 * 2 * 10 * 2, results.rowCount(), "2 tasks x 2 models x 10 trained losses x 2 seeds");
        assertEquals(List.of("loss", "task", "model", "seed", "test_accuracy", "test_hinge_risk", "test_logistic_risk",
                "epochs_to_95pct_final_accuracy", "train_s"), results.columnNames());
        for (String model : List.of("linear", "mlp")) {
            Table row = results.where(results.stringColumn("loss").isEqualTo("L1Hinge")
                    .and(results.stringColumn("task").isEqualTo("Trouser vs Bag"))
                    .and(results.stringColumn("model").isEqualTo(model)));
            assertEquals(2, row.rowCount(), "one run per seed");
            for (int k = 0; k < 2; k++) {
                double accuracy = row.doubleColumn("test_accuracy").get(k);
                assertTrue(accuracy > 0.9, model + " hinge accuracy on Trouser vs Bag: " + accuracy);
            }
        }

        // Paired across seeds: one "best mean" per task and model; every other loss's difference is
        // the difference of the two means, and the verdict follows its interval.
        Table paired = tables.get(4);
        assertEquals(2 * 2 * 10, paired.rowCount());
        for (String task : List.of("Trouser vs Bag", "Shirt vs T-shirt/top")) {
            for (String model : List.of("linear", "mlp")) {
                Table group = paired.where(paired.stringColumn("task").isEqualTo(task).and(paired.stringColumn("model").isEqualTo(model)));
                assertEquals(10, group.rowCount());
                assertEquals(1, group.where(group.stringColumn("verdict").isEqualTo("best mean")).rowCount());
                double bestMean = group.doubleColumn("mean_test_accuracy").max();
                for (int i = 0; i < group.rowCount(); i++) {
                    String verdict = group.stringColumn("verdict").get(i);
                    if (verdict.equals("best mean")) {
                        assertEquals(bestMean, group.doubleColumn("mean_test_accuracy").get(i), 0);
                        continue;
                    }
                    double diff = group.doubleColumn("difference_from_best").get(i);
                    assertEquals(group.doubleColumn("mean_test_accuracy").get(i) - bestMean, diff, 1e-12);
                    double high = group.doubleColumn("difference_ci95_high").get(i);
                    assertTrue(group.doubleColumn("difference_ci95_low").get(i) <= diff && diff <= high);
                    assertEquals(high < 0 ? "worse than the best" : "within noise of the best", verdict);
                }
            }
        }
        Table csv = Table.read().csv(out.resolve("margin-losses-results.csv").toFile());
        assertEquals(results.rowCount(), csv.rowCount());
        assertEquals(MarginLosses.traits().rowCount(), tables.get(2).rowCount());
        assertTrue(Files.readString(out.resolve("margin-loss-traits.html")).contains("universally Fisher-consistent"));
    }
}
