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
                            "pcrec-far-hops-claim.csv", "pcrec-far-hops-claim.csv.stamp.json", "pcrec-far-hops-claim.html",
                            "pcrec-far-hops-subgraphs.csv", "pcrec-far-hops-subgraphs.csv.stamp.json", "pcrec-far-hops-subgraphs.html",
                            "pcrec-far-hops.csv", "pcrec-far-hops.csv.stamp.json", "pcrec-far-hops.html",
                            "pcrec-hops.csv", "pcrec-hops.csv.stamp.json", "pcrec-hops.html",
                            "pcrec-notes.txt", "pcrec-results.csv",
                            "pcrec-results.csv.stamp.json", "pcrec-results.html",
                            "pcrec-seeds.csv", "pcrec-seeds.csv.stamp.json", "pcrec-seeds.html", "pcrec.svg"),
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
        assertVerdictsFollowTheirIntervals(claims);
        Table perSeed = tables.get(2);
        assertEquals(2 * results.rowCount(), perSeed.rowCount(), "quick mode: every model in 2 seeds");
        assertEquals(List.of(42, 43), perSeed.intColumn("seed").unique().asList().stream().sorted().toList());
        Table hops = tables.get(3);
        assertEquals(List.of(2, 3), hops.intColumn("ego_hops").asList());
        for (int r = 0; r < 2; r++) {
            double sum = 0;
            for (int d = 1; d <= 3; d++) sum += hops.doubleColumn("share_distance_" + d).get(r);
            assertEquals(1.0, sum, 0.002, "every sampled node lies within 3 hops of its ego");
        }
        assertEquals(0.0, hops.doubleColumn("share_distance_3").get(0), "a 2-hop walk never reaches distance 3");

        // The far-hops part: PCRec (c) from 2-hop and 3-hop encoders whose walks rarely restart, in both seeds.
        Table far = tables.get(6);
        assertEquals(List.of(42, 42, 43, 43), far.intColumn("seed").asList());
        assertEquals(List.of(2, 3, 2, 3), far.intColumn("ego_hops").asList());
        for (int r = 0; r < far.rowCount(); r++) {
            double hr = far.doubleColumn("HR@10").get(r), ndcg = far.doubleColumn("NDCG@10").get(r);
            assertTrue(Double.isFinite(hr) && hr > 0.2 && hr <= 1 && ndcg <= hr && ndcg > 0, far.print());
        }
        Table farClaim = tables.get(7);
        assertEquals(1, farClaim.rowCount());
        assertTrue(farClaim.stringColumn("evidence").get(0).startsWith("PCRec (c) encoder 2-hop minus PCRec (c) encoder 3-hop"), farClaim.print());
        assertVerdictsFollowTheirIntervals(farClaim);
        Table farSubgraphs = tables.get(8);
        assertEquals(0.0, farSubgraphs.doubleColumn("share_distance_3").get(0), "a 2-hop walk never reaches distance 3");
        double gccFar = hops.doubleColumn("share_distance_3").get(1);
        double rareRestartFar = farSubgraphs.doubleColumn("share_distance_3").get(1);
        assertTrue(rareRestartFar > 3 * gccFar, "walks that rarely restart put far more of a 3-hop subgraph at distance 3: "
                + rareRestartFar + " against " + gccFar + " with GCC's restart probability");

        Table csv = Table.read().csv(out.resolve("pcrec-results.csv").toFile());
        assertEquals(results.rowCount(), csv.rowCount());
        String svg = Files.readString(out.resolve("pcrec.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("NDCG@10") && svg.contains("<polyline"), "bars and the loss curves");
        assertTrue(!svg.contains("<script") && !svg.contains("href"), "offline");
        String notes = Files.readString(out.resolve("pcrec-notes.txt"));
        assertTrue(notes.contains("2-hop ego networks beat 3-hop") && notes.contains("quick mode"), notes);
    }

    /** Each verdict agrees with the intervals its evidence quotes: yes when all lie above zero, no when one lies below. */
    private static void assertVerdictsFollowTheirIntervals(Table claims) {
        for (int r = 0; r < claims.rowCount(); r++) {
            String v = claims.stringColumn("holds_on_our_data").get(r);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("HR@10 ([+-][0-9.]+) ± ([0-9.]+), NDCG@10 ([+-][0-9.]+) ± ([0-9.]+)")
                    .matcher(claims.stringColumn("evidence").get(r));
            boolean allAbove = true;
            boolean oneBelow = false;
            int found = 0;
            while (m.find()) {
                found++;
                double hr = Double.parseDouble(m.group(1)), hrHalf = Double.parseDouble(m.group(2));
                double nd = Double.parseDouble(m.group(3)), ndHalf = Double.parseDouble(m.group(4));
                allAbove &= hr - hrHalf > 0 && nd - ndHalf > 0;
                oneBelow |= hr + hrHalf < 0 || nd + ndHalf < 0;
            }
            assertTrue(found > 0, claims.stringColumn("evidence").get(r));
            assertEquals(allAbove ? "yes" : oneBelow ? "no" : "within noise", v, claims.stringColumn("evidence").get(r));
        }
    }

    /** One seed's ranks per test user for each model (a rank below 10 is a hit): PCRec (c) 2-hop gets {@code pcrec}, every other model {@code others}. */
    private static PcrecRecipe.Results planted(int[] pcrec, int[] others) {
        PcrecRecipe.Results r = new PcrecRecipe.Results(null);
        r.ranks.put("PCRec (c) encoder 2-hop", pcrec);
        for (String k : List.of("BPR-MF", "LightGCN", "Joint MF (source+target)", "PCRec (c) encoder 3-hop",
                "PCRec (a) frozen 2-hop", "PCRec (b) init 2-hop")) r.ranks.put(k, others);
        return r;
    }

    @Test
    void verdictsFollowThe95PercentIntervalsOfThePerSeedDifferences() {
        int n = 400;
        int[] hits = new int[n];
        int[] misses = new int[n];
        java.util.Arrays.fill(misses, 50);
        int[] few = misses.clone();
        few[0] = few[1] = few[2] = 0;   // 3 hits of 400: HR 0.0075
        int[] fewer = misses.clone();
        fewer[0] = 0;                   // 1 hit: HR 0.0025
        // PCRec finds every user's item in every seed, the others none: every claim holds.
        var ahead = List.of(planted(hits, misses), planted(hits, misses), planted(hits, misses));
        for (String v : PcrecRecipe.claims(ahead).stringColumn("holds_on_our_data")) assertEquals("yes", v);
        // The reverse: every claim fails.
        var behind = List.of(planted(misses, hits), planted(misses, hits), planted(misses, hits));
        for (String v : PcrecRecipe.claims(behind).stringColumn("holds_on_our_data")) assertEquals("no", v);
        // Ahead by a little in two seeds and behind in the third (HR +0.0075, +0.0075, -0.0075): within noise.
        var mixed = List.of(planted(few, misses), planted(few, misses), planted(misses, few));
        for (String v : PcrecRecipe.claims(mixed).stringColumn("holds_on_our_data")) assertEquals("within noise", v);
        // Ahead in every seed by a similar margin (HR +0.0075, +0.0075, +0.005): the interval lies above zero.
        var steady = List.of(planted(few, misses), planted(few, misses), planted(few, fewer));
        var claims = PcrecRecipe.claims(steady);
        for (String v : claims.stringColumn("holds_on_our_data")) assertEquals("yes", v);
        assertTrue(claims.stringColumn("evidence").get(1).contains("HR@10 +0.0067 ± 0.0036"), claims.stringColumn("evidence").get(1));
    }
}
