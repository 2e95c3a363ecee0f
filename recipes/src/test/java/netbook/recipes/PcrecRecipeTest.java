package netbook.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** The quick PCRec recipe runs end to end on synthetic data and writes finite results. */
class PcrecRecipeTest {
    @TempDir Path out;

    @Test
    void quickRunWritesTablesFigureAndNotesWithFiniteMetricsForEveryModel() throws Exception {
        List<Table> tables = Recipes.all().get("pcrec").run(Recipe.Settings.quick(), out);

        try (var files = Files.list(out)) {
            assertEquals(List.of("pcrec-claims.csv", "pcrec-claims.csv.stamp.json", "pcrec-claims.html",
                            "pcrec-data.csv", "pcrec-data.csv.stamp.json", "pcrec-data.html",
                            "pcrec-environment.csv", "pcrec-environment.csv.stamp.json", "pcrec-environment.html",
                            "pcrec-notes.txt", "pcrec-results.csv",
                            "pcrec-results.csv.stamp.json", "pcrec-results.html", "pcrec.svg"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "and no temporary files");
        }
        Table results = tables.get(0);
        assertEquals(3 + 2 * 3, results.rowCount(), "3 baselines, 3 transfers x 2 ego-network depths");
        assertEquals(List.of("BPR-MF", "LightGCN", "Joint MF (source+target)"), results.stringColumn("model").asList().subList(0, 3));
        for (String metric : List.of("HR@10", "NDCG@10", "HR@10_se", "NDCG@10_se")) {
            for (double v : results.doubleColumn(metric).asDoubleArray()) {
                assertTrue(Double.isFinite(v) && v >= 0 && v <= 1, metric + " = " + v);
            }
        }
        for (int r = 0; r < results.rowCount(); r++) {
            assertTrue(results.doubleColumn("HR@10").get(r) >= results.doubleColumn("NDCG@10").get(r), "NDCG@10 <= HR@10");
        }
        assertTrue(results.doubleColumn("HR@10").get(0) > 0.2, "BPR-MF learns the planted tastes (chance is 0.10)");
        Table claims = tables.get(1);
        assertEquals(3, claims.rowCount());
        for (String v : claims.stringColumn("holds_on_our_data")) assertTrue(v.startsWith("yes") || v.startsWith("no"), v);
        Table csv = Table.read().csv(out.resolve("pcrec-results.csv").toFile());
        assertEquals(results.rowCount(), csv.rowCount());
        String svg = Files.readString(out.resolve("pcrec.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("NDCG@10") && svg.contains("<polyline"), "bars and the loss curves");
        assertTrue(!svg.contains("<script") && !svg.contains("href"), "offline");
        String notes = Files.readString(out.resolve("pcrec-notes.txt"));
        assertTrue(notes.contains("2-hop ego networks beat 3-hop") && notes.contains("quick mode"), notes);
    }
}
