package netbook.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class CnnRecipeTest {
    @TempDir Path out;

    @Test
    void quickRunTrainsEveryModelOnRealDataAndWritesItsFiles() throws Exception {
        List<Table> tables = new CnnRecipe().run(Recipe.Settings.quick(), out);
        Table results = tables.get(0);
        assertEquals(CnnRecipe.MODELS, results.stringColumn("model").asList());
        for (int r = 0; r < results.rowCount(); r++) {
            double acc = results.doubleColumn("test_accuracy").get(r);
            // 4,000 training images for two epochs: every family learns past chance (10%); the
            // dropout-heavy AlexNet without batch norm is the slowest starter (about 0.45 here).
            assertTrue(acc > 0.3, results.stringColumn("model").get(r) + " reached only " + acc);
            assertTrue(results.longColumn("params").get(r) > 0);
        }
        double resnet = results.doubleColumn("test_accuracy").get(CnnRecipe.MODELS.indexOf("resnet18-small"));
        assertTrue(resnet > 0.7, "resnet18-small reached only " + resnet);
        assertEquals(CnnRecipe.MODELS.size() * 2, tables.get(1).rowCount());
        for (String f : List.of("cnn-results.csv", "cnn-results.html", "cnn-results.csv.stamp.json",
                "cnn-epochs.csv", "cnn-accuracy.svg")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(out.resolve("cnn-accuracy.svg")).contains("googlenet-small"));
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }
}
