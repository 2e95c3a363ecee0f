package netbook.recipes;

import static netbook.vq.Vq.decoder;
import static netbook.vq.Vq.encoder;
import static netbook.vq.Vq.vectorQuantize;
import static netbook.vq.Vq.vqVae;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.dsl.Net;
import netbook.env.Env;
import netbook.train.Progress;
import netbook.env.Stamp;
import netbook.vq.PriorModel;
import netbook.render.ImageGrid;
import netbook.vq.Vq;
import netbook.vq.VectorQuantize;
import netbook.vq.VqVae2;
import netbook.vq.VqVaeModel;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * VQ-VAE (van den Oord et al. 2017) on real Fashion-MNIST: rosinality's
 * stride-4 encoder and decoder around one codebook (28x28 -> 7x7 codes), trained once with a
 * trainable codebook and once with EMA updates. For each: test reconstruction MSE (and MSE / data
 * variance, as Sonnet reports), codebook perplexity and usage on the test set, bits per image of the
 * code (7 * 7 * log2 K) and the compression ratio computed as the paper's 128*128*3*8 / (32*32*9);
 * then a gated PixelCNN prior on the training codes, its test NLL in bits per latent and per pixel
 * dimension, and samples decoded from it. Files: {@code vq-vae-results}, {@code vq-vae-curves},
 * {@code vq-vae-compression} (CSV + HTML), {@code vq-vae-reconstructions.png},
 * {@code vq-vae-samples.png}.
 * <pre>./netbook recipe vq-vae [--full] [--out DIR]</pre>
 */
public final class VqVaeRecipe implements Recipe {
    /** Settings; widths follow rosinality's names. */
    /**
     * @param images training images (a seeded sample) and test images (the first ones)
     * @param autoencoder encoder and decoder widths and the codebook
     * @param training the VQ-VAE's optimisation (Adam)
     * @param prior the PixelCNN prior over the codes and its optimisation
     */
    record Config(Images images, Autoencoder autoencoder, Optimisation training, Prior prior, BetaSweep beta) {
        static final Config QUICK = new Config(
                new Images(4000, 1000),
                Autoencoder.of(32, 1, 16).codebook(64, 16),
                new Optimisation(250, 32, 2e-3),
                new Prior(32, 3, new Optimisation(150, 32, 3e-3)),
                new BetaSweep(new Images(2000, 500), Autoencoder.of(32, 1, 16).codebook(64, 16), new Optimisation(60, 32, 2e-3), new double[] {0.1, 2.0}, 2));
        /**
         * All 60,000 training and 10,000 test images at half rosinality's widths, with step counts two
         * CPU cores can afford (rosinality's full size needs hours there); numbers and wall times in RESULTS.md.
         */
        static final Config FULL = new Config(
                new Images(60000, 10000),
                Autoencoder.of(64, 2, 32).codebook(256, 32),
                new Optimisation(1500, 64, 1e-3),
                new Prior(64, 5, new Optimisation(800, 32, 1e-3)),
                new BetaSweep(new Images(20000, 5000), Autoencoder.of(32, 1, 16).codebook(64, 16), new Optimisation(800, 64, 2e-3),
                        new double[] {0.1, 0.25, 0.5, 1.0, 2.0}, 5));   // 5 seeds: a run takes under a minute
    }

    /**
     * The commitment weight beta: the paper reports reconstructions robust to it from 0.1 to 2.0.
     * Each beta trains {@code autoencoder} (the quick widths, so that 25 runs fit in minutes) with a
     * trainable codebook (the codebook term does not depend on beta, the commitment term does) once
     * per seed; every beta sees the same samples and initial weights for a seed, so the betas are
     * compared seed by seed against 0.25.
     */
    record BetaSweep(Images images, Autoencoder autoencoder, Optimisation training, double[] betas, int seeds) {}

    /** How many images: a training sample and a test set. */
    record Images(int train, int test) {}

    /**
     * @param channel hidden channels of encoder and decoder
     * @param resBlocks residual blocks in each
     * @param resChannels channels inside a residual block
     * @param codes codebook entries K
     * @param dim codebook entry size D
     */
    record Autoencoder(int channel, int resBlocks, int resChannels, int codes, int dim) {
        static Autoencoder of(int channel, int resBlocks, int resChannels) { return new Autoencoder(channel, resBlocks, resChannels, 0, 0); }
        /** K codes of dimension D. */
        Autoencoder codebook(int k, int d) { return new Autoencoder(channel, resBlocks, resChannels, k, d); }
        /** rosinality's encoder/decoder settings at these widths (stride 4). */
        netbook.vq.Vq.Coder coder() { return netbook.vq.Vq.coder().channel(channel).resBlocks(resBlocks).resChannels(resChannels); }
    }

    /** Adam for {@code steps} steps of {@code batch} examples at rate {@code lr}. */
    record Optimisation(int steps, int batch, double lr) {
        VqVaeModel.Settings settings(long seed) { return VqVaeModel.settings().steps(steps).batchSize(batch).lr(lr).seed(seed); }
    }

    /** A gated PixelCNN prior: channels, gated layers, and its training. */
    record Prior(int channels, int layers, Optimisation training) {}

    static final int SIDE = 28;

    @Override public String name() { return "vq-vae"; }

    /** {@code codebooks}: trainable vs EMA codebook and the prior; {@code beta}: the commitment-weight sweep. */
    @Override
    public List<String> parts() { return List.of("codebooks", "beta"); }

    @Override
    public String description() {
        return "VQ-VAE on Fashion-MNIST: trainable vs EMA codebook, reconstruction, perplexity, bits, PixelCNN prior";
    }

    static Net model(Config c, VectorQuantize quantize) {
        Vq.Coder bottom = c.autoencoder().coder();
        return Net.input(1, SIDE, SIDE).named("vq-vae").add(vqVae(
                encoder(bottom),
                quantize,
                decoder(1, bottom)).named("vqvae"));
    }

    @Override
    public List<Table> run(Settings settings, Path out) throws Exception {
        Config c = settings.full() ? Config.FULL : Config.QUICK;
        Files.createDirectories(out);
        FashionMnist fashion = settings.dataDir() == null ? FashionMnist.standard() : FashionMnist.at(settings.dataDir());
        List<Table> tables = new ArrayList<>();
        if (settings.only() == null || settings.only().equals("codebooks")) tables.addAll(codebooks(c, settings, fashion, out));
        if (settings.only() == null || settings.only().equals("beta")) tables.addAll(beta(c, settings, fashion, out));
        return tables;
    }

    /** The beta sweep's runs (one row per beta and seed) and its reading (one row per beta). */
    static List<Table> beta(Config c, Settings settings, FashionMnist fashion, Path out) throws java.io.IOException {
        BetaSweep b = c.beta();
        Table runs = Table.create("VQ-VAE reconstruction against the commitment weight beta, one row per run",
                DoubleColumn.create("beta"), tech.tablesaw.api.LongColumn.create("seed"), DoubleColumn.create("test_mse_over_variance"),
                DoubleColumn.create("perplexity"), DoubleColumn.create("train_s"));
        ArrayDataset test = fashion.testSet().head(b.images().test()).shifted(-0.5f);
        double variance = test.variance();
        Stamp stamp = null;
        for (int k = 0; k < b.seeds(); k++) {
            long seed = settings.seed() + k;
            ArrayDataset train = fashion.trainSet().sample(b.images().train(), seed).shifted(-0.5f);
            if (stamp == null) stamp = Stamp.of(settings.seed(), Env.describe(Env.devices()), train.sourceHash());
            for (double beta : b.betas()) {
                Vq.Coder widths = b.autoencoder().coder();
                Net net = Net.input(1, SIDE, SIDE).named("vq-vae-beta-" + beta).add(vqVae(encoder(widths),
                        vectorQuantize(b.autoencoder().codes(), b.autoencoder().dim()).beta(beta), decoder(1, widths)).named("vqvae"));
                long t0 = System.nanoTime();
                try (VqVaeModel m = VqVaeModel.train(net, train, b.training().settings(seed), Progress.current())) {
                    VqVaeModel.Evaluation e = m.evaluate(test);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    runs.doubleColumn("beta").append(beta);
                    runs.longColumn("seed").append(seed);
                    runs.doubleColumn("test_mse_over_variance").append(e.mse() / variance);
                    runs.doubleColumn("perplexity").append(e.levels().get(0).perplexity());
                    runs.doubleColumn("train_s").append(seconds);
                    System.err.printf(Locale.ROOT, "vq-vae: beta %.2f seed %d: mse/variance %.4f, perplexity %.1f (%.0f s)%n",
                            beta, seed, e.mse() / variance, e.levels().get(0).perplexity(), seconds);
                }
            }
        }
        Table reading = betaReading(runs, b.betas(), 0.25);
        ResultFiles.table(out, "vq-vae-beta-runs", runs, stamp);
        ResultFiles.table(out, "vq-vae-beta", reading, stamp);
        return List.of(reading, runs);
    }

    /**
     * Per beta: mean MSE / variance over the seeds with its 95% interval, and the paired difference
     * from the reference beta (when it was run; else from the smallest beta) with a verdict.
     */
    static Table betaReading(Table runs, double[] betas, double reference) {
        double ref = java.util.Arrays.stream(betas).anyMatch(x -> x == reference) ? reference : betas[0];
        DoubleColumn beta = DoubleColumn.create("beta");
        DoubleColumn mean = DoubleColumn.create("mean_test_mse_over_variance");
        DoubleColumn half = DoubleColumn.create("ci95_half_width");
        DoubleColumn diff = DoubleColumn.create("difference_from_beta_" + ref);
        DoubleColumn low = DoubleColumn.create("difference_ci95_low");
        DoubleColumn high = DoubleColumn.create("difference_ci95_high");
        StringColumn verdict = StringColumn.create("verdict");
        DoubleColumn perplexity = DoubleColumn.create("mean_perplexity");
        double[] refValues = betaValues(runs, ref, "test_mse_over_variance");
        for (double x : betas) {
            double[] v = betaValues(runs, x, "test_mse_over_variance");
            Seeds.Interval i = Seeds.interval(v);
            beta.append(x);
            mean.append(i.mean());
            half.append(i.halfWidth());
            perplexity.append(java.util.Arrays.stream(betaValues(runs, x, "perplexity")).average().orElseThrow());
            if (x == ref) {
                diff.append(0);
                low.appendMissing();
                high.appendMissing();
                verdict.append("reference");
            } else {
                Seeds.Interval d = Seeds.pairedDifference(v, refValues);
                diff.append(d.mean());
                low.append(d.low());
                high.append(d.high());
                verdict.append(d.low() > 0 ? "higher error" : d.high() < 0 ? "lower error" : "within noise");
            }
        }
        return Table.create("VQ-VAE test MSE / variance against beta, paired across seeds", beta, mean, half, diff, low, high, verdict, perplexity);
    }

    private static double[] betaValues(Table runs, double beta, String column) {
        Table rows = runs.where(runs.doubleColumn("beta").isEqualTo(beta)).sortAscendingOn("seed");
        return rows.doubleColumn(column).asDoubleArray();
    }

    /** Trainable vs EMA codebook, the prior over each one's codes, samples; the paper's compression arithmetic. */
    static List<Table> codebooks(Config c, Settings settings, FashionMnist fashion, Path out) throws Exception {
        // Pixels in [-0.5, 0.5], as Sonnet's example.
        ArrayDataset train = fashion.trainSet().sample(c.images().train(), settings.seed()).shifted(-0.5f);
        ArrayDataset test = fashion.testSet().head(c.images().test()).shifted(-0.5f);
        double variance = test.variance();
        Stamp stamp = Stamp.of(settings.seed(), Env.describe(Env.devices()), train.sourceHash());

        Table results = Table.create("VQ-VAE on Fashion-MNIST: trainable vs EMA codebook",
                StringColumn.create("codebook"), IntColumn.create("codes_K"), IntColumn.create("dim_D"),
                StringColumn.create("latent"), DoubleColumn.create("test_mse"), DoubleColumn.create("test_mse_over_variance"),
                DoubleColumn.create("perplexity"), DoubleColumn.create("codes_used"),
                DoubleColumn.create("bits_per_image"), DoubleColumn.create("compression"),
                DoubleColumn.create("prior_nll_bits_per_latent"), DoubleColumn.create("prior_bits_per_image"),
                DoubleColumn.create("prior_code_bits_per_pixel"), DoubleColumn.create("train_s"), DoubleColumn.create("prior_train_s"));
        Table curves = null;
        int show = 16;
        ImageGrid grid = ImageGrid.of(SIDE, SIDE).columns(show).range(-0.5, 0.5).scale(2);
        // rows: originals, then each codebook's reconstructions; samples: one row per codebook's prior
        ImageGrid reconstructions = grid.row(features(test, show));
        ImageGrid samples = grid;
        for (String kind : List.of("trainable", "ema")) {
            VectorQuantize q = kind.equals("ema") ? vectorQuantize(c.autoencoder().codes(), c.autoencoder().dim()).ema() : vectorQuantize(c.autoencoder().codes(), c.autoencoder().dim());
            Net net = model(c, q);
            long t0 = System.nanoTime();
            try (VqVaeModel m = VqVaeModel.train(net, train, c.training().settings(settings.seed()), Progress.current())) {
                double trainS = (System.nanoTime() - t0) / 1e9;
                VqVaeModel.Evaluation e = m.evaluate(test);
                VqVaeModel.LevelStats level = e.levels().get(0);
                Table curve = m.curve().copy();
                String[] label = new String[curve.rowCount()];
                java.util.Arrays.fill(label, kind);
                curve.insertColumn(0, StringColumn.create("codebook", label));
                if (curves == null) curves = curve.setName("VQ-VAE training curves"); else curves.append(curve);
                reconstructions = reconstructions.row(m.reconstruct(test.head(show)));

                int h = level.height();
                int w = level.width();
                long t1 = System.nanoTime();
                Net priorNet = VqVae2.prior(c.autoencoder().codes(), h, w).channels(c.prior().channels()).layers(c.prior().layers()).named("prior-" + kind).build();
                PriorModel.Codes trainCodes = PriorModel.Codes.of(train.size(), h, w, m.codes(train).get(0));
                PriorModel.Codes testCodes = PriorModel.Codes.of(test.size(), h, w, m.codes(test).get(0));
                double nllBits;
                try (PriorModel prior = PriorModel.train(priorNet, trainCodes,
                        c.prior().training().settings(settings.seed()), Progress.current())) {
                    nllBits = prior.nll(testCodes) / Math.log(2);
                    int[] sampled = prior.sample(show, null, settings.seed());
                    samples = samples.row(m.decode(List.of(sampled), show));
                }
                double priorS = (System.nanoTime() - t1) / 1e9;
                double bits = (double) h * w * q.bitsPerCode();
                results.stringColumn("codebook").append(kind);
                results.intColumn("codes_K").append(c.autoencoder().codes());
                results.intColumn("dim_D").append(c.autoencoder().dim());
                results.stringColumn("latent").append(h + "x" + w + "x1");
                results.doubleColumn("test_mse").append(e.mse());
                results.doubleColumn("test_mse_over_variance").append(e.mse() / variance);
                results.doubleColumn("perplexity").append(level.perplexity());
                results.doubleColumn("codes_used").append(level.usage());
                results.doubleColumn("bits_per_image").append(bits);
                results.doubleColumn("compression").append(SIDE * SIDE * 8 / bits);
                results.doubleColumn("prior_nll_bits_per_latent").append(nllBits);
                results.doubleColumn("prior_bits_per_image").append(nllBits * h * w);
                // The prior's code length spread over the image's pixels. It has no reconstruction term
                // (the decoder's likelihood of the pixels), so it is not the paper's bits/dim, which is
                // also measured on CIFAR-10, not on Fashion-MNIST.
                results.doubleColumn("prior_code_bits_per_pixel").append(nllBits * h * w / (SIDE * SIDE));
                results.doubleColumn("train_s").append(trainS);
                results.doubleColumn("prior_train_s").append(priorS);
                System.err.printf(Locale.ROOT, "vq-vae: %-9s mse %.5f (%.3f of variance) perplexity %.1f used %.2f prior %.3f bits/latent  %.0fs + %.0fs%n",
                        kind, e.mse(), e.mse() / variance, level.perplexity(), level.usage(), nllBits, trainS, priorS);
            }
        }
        Table compression = compression(c);
        ResultFiles.table(out, "vq-vae-results", results, stamp);
        ResultFiles.table(out, "vq-vae-curves", curves, stamp);
        ResultFiles.table(out, "vq-vae-compression", compression, stamp);
        // rows: originals, trainable-codebook reconstructions, EMA reconstructions
        reconstructions.png().save(out.resolve("vq-vae-reconstructions.png"));
        samples.png().save(out.resolve("vq-vae-samples.png"));
        return List.of(results, curves, compression);
    }

    /** The paper's ImageNet arithmetic next to this run's. */
    static Table compression(Config c) {
        double bitsPerCode = Math.log(c.autoencoder().codes()) / Math.log(2);
        return Table.create("compression: input bits / latent bits",
                StringColumn.create("case", new String[] {"paper: ImageNet 128x128x3 -> 32x32, K=512", "this run: Fashion-MNIST 28x28x1 -> 7x7, K=" + c.autoencoder().codes()}),
                DoubleColumn.create("input_bits", 128 * 128 * 3 * 8, SIDE * SIDE * 8),
                DoubleColumn.create("latent_bits", 32 * 32 * 9, 7 * 7 * bitsPerCode),
                DoubleColumn.create("ratio", 128.0 * 128 * 3 * 8 / (32 * 32 * 9), SIDE * SIDE * 8 / (7 * 7 * bitsPerCode)));
    }

    static float[] features(ArrayDataset d, int n) {
        int size = (int) d.shape().size();
        float[] f = new float[Math.min(n, d.size()) * size];
        for (int i = 0; i < Math.min(n, d.size()); i++) d.copyFeatures(i, f, i * size);
        return f;
    }
}
