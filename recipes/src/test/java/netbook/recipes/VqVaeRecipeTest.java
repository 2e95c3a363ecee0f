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

class VqVaeRecipeTest {
    @TempDir Path out;

    @Test
    void quickRunReconstructsRealImagesAndFitsAPriorOnTheCodes() throws Exception {
        List<Table> tables = new VqVaeRecipe().run(Recipe.Settings.quick(), out);
        Table r = tables.get(0);
        assertEquals(List.of("trainable", "ema"), r.stringColumn("codebook").asList());
        for (int i = 0; i < r.rowCount(); i++) {
            String kind = r.stringColumn("codebook").get(i);
            double ratio = r.doubleColumn("test_mse_over_variance").get(i);
            // Fashion-MNIST pixel variance is about 0.1; a working autoencoder is far below it
            assertTrue(ratio > 0 && ratio < 0.5, kind + ": MSE / variance " + ratio);
            double perplexity = r.doubleColumn("perplexity").get(i);
            assertTrue(perplexity > 2 && perplexity <= 64, kind + ": perplexity " + perplexity);
            double used = r.doubleColumn("codes_used").get(i);
            assertTrue(used > 0 && used <= 1, kind + ": usage " + used);
            assertEquals(49 * 6.0, r.doubleColumn("bits_per_image").get(i), 1e-9);            // 7x7 codes of log2 64 bits
            assertEquals(28 * 28 * 8 / (49 * 6.0), r.doubleColumn("compression").get(i), 1e-9);
            double nll = r.doubleColumn("prior_nll_bits_per_latent").get(i);
            // the prior beats the uniform code (6 bits) and cannot go below 0
            assertTrue(nll > 0 && nll < 6, kind + ": prior NLL " + nll + " bits per latent");
            assertTrue(Double.isFinite(r.doubleColumn("prior_code_bits_per_pixel").get(i)));
        }
        Table compression = tables.get(2);
        assertEquals(42.67, compression.doubleColumn("ratio").get(0), 0.01);   // the paper's arithmetic
        for (String f : List.of("vq-vae-results.csv", "vq-vae-results.html", "vq-vae-results.csv.stamp.json",
                "vq-vae-curves.csv", "vq-vae-compression.csv", "vq-vae-reconstructions.png", "vq-vae-samples.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        // The beta sweep (quick: betas 0.1 and 2.0, two seeds each): one run per beta and seed, and
        // the reading pairs the seeds against the first beta (0.25 is not in the quick sweep).
        Table betaRuns = tables.get(4);
        assertEquals(4, betaRuns.rowCount());
        for (double ratio : betaRuns.doubleColumn("test_mse_over_variance").asDoubleArray()) {
            assertTrue(ratio > 0 && ratio < 1, "beta run MSE / variance " + ratio);
        }
        Table beta = tables.get(3);
        assertEquals(List.of(0.1, 2.0), beta.doubleColumn("beta").asList());
        assertEquals("reference", beta.stringColumn("verdict").get(0));
        double[] at01 = betaRuns.where(betaRuns.doubleColumn("beta").isEqualTo(0.1)).sortAscendingOn("seed").doubleColumn("test_mse_over_variance").asDoubleArray();
        double[] at2 = betaRuns.where(betaRuns.doubleColumn("beta").isEqualTo(2.0)).sortAscendingOn("seed").doubleColumn("test_mse_over_variance").asDoubleArray();
        assertEquals((at2[0] - at01[0] + at2[1] - at01[1]) / 2, beta.doubleColumn(3).get(1), 1e-12);
        String verdict = beta.stringColumn("verdict").get(1);
        double low = beta.doubleColumn("difference_ci95_low").get(1);
        double high = beta.doubleColumn("difference_ci95_high").get(1);
        assertEquals(low > 0 ? "higher error" : high < 0 ? "lower error" : "within noise", verdict);
        assertTrue(Files.size(out.resolve("vq-vae-beta.csv")) > 0 && Files.size(out.resolve("vq-vae-beta-runs.csv")) > 0);

        BufferedImage grid = ImageIO.read(out.resolve("vq-vae-reconstructions.png").toFile());
        assertEquals(3 * (28 * 2 + 1) + 1, grid.getHeight());   // originals, trainable, EMA
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }
}
