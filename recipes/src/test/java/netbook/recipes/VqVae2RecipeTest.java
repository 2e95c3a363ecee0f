package netbook.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class VqVae2RecipeTest {
    @TempDir Path out;

    @Test
    void quickRunTrainsTwoLevelsPriorsAndScoresSamplesPerThreshold() throws Exception {
        List<Table> tables = new VqVae2Recipe().run(Recipe.Settings.quick(), out);
        Table levels = tables.get(0);
        assertEquals(List.of("top", "bottom"), levels.stringColumn("level").asList());
        assertEquals(List.of("4x4", "8x8"), levels.stringColumn("codes_map").asList());
        for (int i = 0; i < 2; i++) {
            double ratio = levels.doubleColumn("test_mse_over_variance").get(i);
            assertTrue(ratio > 0 && ratio < 0.5, "MSE / variance " + ratio);
            double nll = levels.doubleColumn("prior_nll_bits_per_latent").get(i);
            assertTrue(nll > 0 && nll < 6, levels.stringColumn("level").get(i) + " prior NLL " + nll);
            // K = 64 codes per level; a codebook collapsed onto a handful of codes has perplexity below 4.
            // Measured (AMD EPYC Zen 3, quick settings): about 20 per level.
            double perplexity = levels.doubleColumn("perplexity").get(i);
            assertTrue(perplexity > 8 && perplexity <= 64, levels.stringColumn("level").get(i) + " perplexity " + perplexity);
        }
        Table rej = tables.get(1);
        assertEquals(3, rej.rowCount());
        assertEquals(1.0, rej.doubleColumn("acceptance").get(0), 1e-12);      // threshold 0 keeps everything
        for (int i = 1; i < rej.rowCount(); i++) {
            assertTrue(rej.intColumn("kept").get(i) <= rej.intColumn("kept").get(i - 1), "higher thresholds keep fewer");
        }
        double real = rej.doubleColumn("real_data_classifier_test_accuracy").get(0);
        assertTrue(real > 0.6, "the scorer reaches only " + real);
        double cas = rej.doubleColumn("cas_test_accuracy").get(0);
        // Chance is 0.10 on ten classes, with a standard error of 0.0095 on the 1,000 test images: samples
        // that ignored their class would score there. The bound is chance + 3 standard errors.
        // Measured (AMD EPYC Zen 3, quick settings: 120 samples, 6 epochs): 0.166.
        assertTrue(cas > 0.13 && cas <= real, "CAS without rejection " + cas + " (real-data ceiling " + real + ")");
        // The real-data classifier recognises the intended class of the samples more often than chance
        // (0.10, standard error 0.027 over 120 samples): again chance + 3 standard errors.
        double agree = rej.doubleColumn("scorer_agreement_all_samples").get(0);
        assertTrue(agree > 0.18, "the scorer agrees with the intended class on " + agree + " of the samples");
        // Every classifier gets the no-rejection classifier's optimiser steps, up to the rounding of whole epochs.
        int steps0 = rej.intColumn("optimiser_steps").get(0);
        for (int i = 0; i < rej.rowCount(); i++) {
            if (rej.intColumn("optimiser_steps").isMissing(i)) continue;
            int batches = (rej.intColumn("kept").get(i) + 31) / 32;
            assertTrue(Math.abs(rej.intColumn("optimiser_steps").get(i) - steps0) <= batches / 2 + 1,
                    "threshold " + rej.doubleColumn("threshold").get(i) + ": " + rej.intColumn("optimiser_steps").get(i) + " steps against " + steps0);
        }
        // The control trains on as many real images: it must learn (chance + 3 standard errors, as above).
        assertTrue(rej.doubleColumn("real_control_test_accuracy").get(0) > 0.13, rej.print());
        assertEquals("reference", rej.stringColumn("cas_vs_no_rejection").get(0));
        assertTrue(List.of("higher", "lower", "within noise").contains(rej.stringColumn("cas_vs_control").get(0)));
        for (String f : List.of("vq-vae-2-levels.csv", "vq-vae-2-levels.html", "vq-vae-2-rejection.csv",
                "vq-vae-2-rejection.html", "vq-vae-2-curves.csv", "vq-vae-2-samples.png", "vq-vae-2-reconstructions.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        // The latent size the paper's way: 256x256x3x8 bits over (64x64 + 32x32) codes of 9 bits,
        // and this run's 32x32x8 bits over (8x8 + 4x4) codes of log2 64 = 6 bits.
        Table latent = tables.get(3);
        assertEquals(256.0 * 256 * 3 * 8 / (5120 * 9), latent.doubleColumn("ratio").get(0), 1e-9);
        assertEquals(32.0 * 32 * 8 / (80 * 6), latent.doubleColumn("ratio").get(1), 1e-9);

        // One level against two at matched bits (quick: 16 codes per level, so 80 x 4 = 320 bits
        // against one 8x8 level of 32 codes, 64 x 5 = 320 bits), two seeds.
        Table runs = tables.get(5);
        assertEquals(4, runs.rowCount());
        for (int i = 0; i < 4; i++) {
            assertEquals(320, runs.doubleColumn("bits_per_image").get(i), 1e-9);
            assertEquals(runs.stringColumn("model").get(i).startsWith("two") ? 16 : 32, runs.intColumn("codes_per_level").get(i));
            double ratio = runs.doubleColumn("test_mse_over_variance").get(i);
            assertTrue(ratio > 0 && ratio < 1.5, "MSE / variance " + ratio);
        }
        Table reading = tables.get(4);
        double oneMean = runs.where(runs.stringColumn("model").startsWith("one")).doubleColumn("test_mse_over_variance").mean();
        double twoMean = runs.where(runs.stringColumn("model").startsWith("two")).doubleColumn("test_mse_over_variance").mean();
        assertEquals(oneMean - twoMean, reading.doubleColumn("difference").get(0), 1e-12);
        double low = reading.doubleColumn("ci95_low").get(0);
        double high = reading.doubleColumn("ci95_high").get(0);
        assertEquals(low > 0 ? "two levels reconstruct better" : high < 0 ? "one level reconstructs better" : "within noise",
                reading.stringColumn("verdict").get(0));

        BufferedImage grid = ImageIO.read(out.resolve("vq-vae-2-samples.png").toFile());
        assertEquals(10 * (32 * 2 + 1) + 1, grid.getHeight());   // one row per class
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }
}
