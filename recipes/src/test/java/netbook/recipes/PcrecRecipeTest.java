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
        // Each verdict agrees with the sign of the differences its evidence quotes.
        for (int r = 0; r < claims.rowCount(); r++) {
            String v = claims.stringColumn("holds_on_our_data").get(r);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("HR@10 ([+-][0-9.]+) .*?NDCG@10 ([+-][0-9.]+)")
                    .matcher(claims.stringColumn("evidence").get(r));
            boolean allPositive = true;
            int found = 0;
            while (m.find()) {
                found++;
                allPositive &= Double.parseDouble(m.group(1)) > 0 && Double.parseDouble(m.group(2)) > 0;
            }
            assertTrue(found > 0, claims.stringColumn("evidence").get(r));
            assertEquals(allPositive, v.startsWith("yes"), "verdict '" + v + "' against " + claims.stringColumn("evidence").get(r));
        }
        Table csv = Table.read().csv(out.resolve("pcrec-results.csv").toFile());
        assertEquals(results.rowCount(), csv.rowCount());
        String svg = Files.readString(out.resolve("pcrec.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("NDCG@10") && svg.contains("<polyline"), "bars and the loss curves");
        assertTrue(!svg.contains("<script") && !svg.contains("href"), "offline");
        String notes = Files.readString(out.resolve("pcrec-notes.txt"));
        assertTrue(notes.contains("2-hop ego networks beat 3-hop") && notes.contains("quick mode"), notes);
    }

    /** Ranks per test user for each model; a rank below 10 is a hit. */
    private static PcrecRecipe.Results planted(int[] pcrec, int[] others) {
        PcrecRecipe.Results r = new PcrecRecipe.Results(null);
        r.ranks.put("PCRec (c) encoder 2-hop", pcrec);
        for (String k : List.of("BPR-MF", "LightGCN", "Joint MF (source+target)", "PCRec (c) encoder 3-hop",
                "PCRec (a) frozen 2-hop", "PCRec (b) init 2-hop")) r.ranks.put(k, others);
        return r;
    }

    @Test
    void verdictsFollowThePairedDifferencesAndTheirStandardErrors() {
        int n = 400;
        int[] hits = new int[n];
        int[] misses = new int[n];
        java.util.Arrays.fill(misses, 50);
        // PCRec finds every user's item, the others none: every claim clearly holds.
        for (String v : planted(hits, misses).claims().stringColumn("holds_on_our_data")) assertEquals("yes", v);
        // The reverse: every claim clearly fails.
        for (String v : planted(misses, hits).claims().stringColumn("holds_on_our_data")) assertEquals("no", v);
        // PCRec ahead on 3 users of 400 (HR +0.0075, se about 0.0043): ahead, but not by two standard errors.
        int[] few = misses.clone();
        few[0] = few[1] = few[2] = 0;
        for (String v : planted(few, misses).claims().stringColumn("holds_on_our_data")) {
            assertEquals("yes, but within noise (difference < 2 standard errors)", v);
        }
        for (String v : planted(misses, few).claims().stringColumn("holds_on_our_data")) {
            assertEquals("no, but within noise (difference < 2 standard errors)", v);
        }
    }
}
