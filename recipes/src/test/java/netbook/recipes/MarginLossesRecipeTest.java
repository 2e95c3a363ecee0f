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
                            "margin-losses-results.csv", "margin-losses-results.csv.stamp.json", "margin-losses-results.html",
                            "margin-losses.svg"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "and no temporary files");
        }
        String svg = Files.readString(out.resolve("margin-losses.svg"));
        assertEquals(22, Pattern.compile("<polyline").matcher(svg).results().count(), "psi and psi' of 11 losses");
        assertTrue(svg.contains("Smooth \u03b3=0.5") && svg.contains("DWD q=1") && svg.contains("LogitMargin"), "legend names the losses");
        assertTrue(!svg.contains("<script") && !svg.contains("href"), "offline: no scripts, no links");

        Table results = tables.get(0);
        assertEquals(2 * 2 * 10, results.rowCount(), "2 tasks x 2 models x 10 trained losses");
        assertEquals(List.of("loss", "task", "model", "test_accuracy", "test_hinge_risk", "test_logistic_risk",
                "epochs_to_95pct_final_accuracy", "train_s"), results.columnNames());
        for (String model : List.of("linear", "mlp")) {
            Table row = results.where(results.stringColumn("loss").isEqualTo("L1Hinge")
                    .and(results.stringColumn("task").isEqualTo("Trouser vs Bag"))
                    .and(results.stringColumn("model").isEqualTo(model)));
            assertEquals(1, row.rowCount());
            double accuracy = row.doubleColumn("test_accuracy").get(0);
            assertTrue(accuracy > 0.9, model + " hinge accuracy on Trouser vs Bag: " + accuracy);
        }
        Table csv = Table.read().csv(out.resolve("margin-losses-results.csv").toFile());
        assertEquals(results.rowCount(), csv.rowCount());
        assertEquals(MarginLosses.traits().rowCount(), tables.get(2).rowCount());
        assertTrue(Files.readString(out.resolve("margin-loss-traits.html")).contains("universally Fisher-consistent"));
    }
}
