package netbook.recipes;

import static netbook.dsl.Layers.conv;
import static netbook.dsl.Layers.convTranspose;
import static netbook.dsl.Layers.flatten;
import static netbook.dsl.Layers.linear;
import static netbook.dsl.Layers.maxPool;
import static netbook.dsl.Layers.relu;
import static netbook.vq.Vq.decoder;
import static netbook.vq.Vq.encoder;
import static netbook.vq.Vq.level;
import static netbook.vq.Vq.levels;
import static netbook.vq.Vq.vectorQuantize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.dsl.Net;
import netbook.dsl.Shape;
import netbook.env.Env;
import netbook.train.Fit;
import netbook.train.Optimizers;
import netbook.train.Progress;
import netbook.env.Stamp;
import netbook.train.TrainedModel;
import netbook.vq.PriorModel;
import netbook.render.ImageGrid;
import netbook.vq.Vq;
import netbook.vq.VqVae2;
import netbook.vq.VqVaeModel;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * VQ-VAE-2 (Razavi et al. 2019) on Fashion-MNIST padded to 32x32: rosinality's
 * two levels (bottom codes 8x8 after a stride-4 encoder, top codes 4x4 after a further stride 2; EMA
 * codebooks), a class-conditional top prior with causal attention and a bottom prior conditioned on
 * the top codes. Reports per level: reconstruction MSE, perplexity, usage, bits and prior NLL; then
 * samples per class and the paper's quality/diversity trade-off: a Fashion-MNIST classifier
 * (trained with {@link Fit}) scores each sample, samples whose probability of the intended class is
 * below a threshold are rejected, and the Classification Accuracy Score (a classifier trained on
 * the kept samples only, tested on the real test set) is reported per threshold. Files:
 * {@code vq-vae-2-levels}, {@code vq-vae-2-rejection}, {@code vq-vae-2-curves} (CSV + HTML),
 * {@code vq-vae-2-reconstructions.png}, {@code vq-vae-2-samples.png} (one row per class).
 * <pre>./netbook recipe vq-vae-2 [--full] [--out DIR]</pre>
 */
public final class VqVae2Recipe implements Recipe {
    /**
     * @param images training images (a seeded sample) and test images (the first ones)
     * @param autoencoder encoder and decoder widths and each level's codebook
     * @param training the two-level VQ-VAE's optimisation (Adam)
     * @param prior the two PixelCNN priors (top: class-conditional with attention; bottom: conditioned on the top codes)
     * @param sampling rejection sampling and the classification accuracy score
     */
    record Config(VqVaeRecipe.Images images, VqVaeRecipe.Autoencoder autoencoder, VqVaeRecipe.Optimisation training,
                  VqVaeRecipe.Prior prior, Sampling sampling) {
        static final Config QUICK = new Config(
                new VqVaeRecipe.Images(4000, 1000),
                VqVaeRecipe.Autoencoder.of(32, 1, 16).codebook(64, 16),
                new VqVaeRecipe.Optimisation(250, 32, 2e-3),
                new VqVaeRecipe.Prior(32, 3, new VqVaeRecipe.Optimisation(200, 32, 3e-3)),
                new Sampling(12, new Scorer(6000, 1), 6, new double[] {0, 0.5, 0.9}));
        /** All the data at half rosinality's widths, with step counts two CPU cores can afford; numbers and wall times in RESULTS.md. */
        static final Config FULL = new Config(
                new VqVaeRecipe.Images(60000, 10000),
                VqVaeRecipe.Autoencoder.of(64, 2, 32).codebook(256, 32),
                new VqVaeRecipe.Optimisation(1200, 64, 1e-3),
                new VqVaeRecipe.Prior(64, 5, new VqVaeRecipe.Optimisation(800, 32, 1e-3)),
                new Sampling(50, new Scorer(60000, 2), 10, new double[] {0, 0.3, 0.6, 0.9}));
    }

    /**
     * @param perClass samples drawn for each class
     * @param scorer the classifier that scores samples for rejection
     * @param casEpochs epochs of the classifier trained on kept samples (CAS)
     * @param thresholds scorer probabilities below which a sample is rejected
     */
    record Sampling(int perClass, Scorer scorer, int casEpochs, double[] thresholds) {}

    /** The scoring classifier: real training images it sees and its epochs. */
    record Scorer(int images, int epochs) {}

    static final int SIDE = 32;
    static final int CLASSES = 10;

    @Override public String name() { return "vq-vae-2"; }

    @Override
    public String description() {
        return "VQ-VAE-2 on Fashion-MNIST 32x32: two levels, conditional priors, rejection sampling and CAS";
    }

    /** rosinality's two levels at Fashion-MNIST size. */
    static Net model(Config c) {
        Vq.Coder bottom = c.autoencoder().coder();
        return Net.input(1, SIDE, SIDE).named("vq-vae-2").add(levels(
                level("bottom").encoder(encoder(bottom))
                        .quantize(vectorQuantize(c.autoencoder().codes(), c.autoencoder().dim()).ema()),
                level("top").encoder(encoder(bottom.stride(2)))
                        .quantize(vectorQuantize(c.autoencoder().codes(), c.autoencoder().dim()).ema())
                        .decoder(decoder(c.autoencoder().dim(), bottom.stride(2)))
                        .upsample(convTranspose(c.autoencoder().dim(), 4).stride(2).padding(1)))
                .decoder(decoder(1, bottom)).named("vqvae"));
    }

    /** The classifier that scores samples, and the one CAS trains on samples. */
    static Net classifier() {
        return Net.input(1, SIDE, SIDE).named("classifier").add(
                conv(16, 3).padding(1), relu(), maxPool(2),
                conv(32, 3).padding(1), relu(), maxPool(2),
                flatten(), linear(64), relu(), linear(CLASSES));
    }

    @Override
    public List<Table> run(Settings settings, Path out) throws Exception {
        Config c = settings.full() ? Config.FULL : Config.QUICK;
        long seed = settings.seed();
        Files.createDirectories(out);
        FashionMnist fashion = settings.dataDir() == null ? FashionMnist.standard() : FashionMnist.at(settings.dataDir());
        ArrayDataset fullTrain = fashion.trainSet();
        ArrayDataset train = fullTrain.sample(c.images().train(), seed).padded(2).shifted(-0.5f);
        ArrayDataset test = fashion.testSet().head(c.images().test()).padded(2).shifted(-0.5f);
        double variance = test.variance();
        Stamp stamp = Stamp.of(seed, Env.describe(Env.devices()), train.sourceHash());

        Net net = model(c);
        long t0 = System.nanoTime();
        Table levelsTable = Table.create("VQ-VAE-2 on Fashion-MNIST 32x32, per level",
                StringColumn.create("level"), StringColumn.create("codes_map"), IntColumn.create("codes_K"),
                DoubleColumn.create("perplexity"), DoubleColumn.create("codes_used"), DoubleColumn.create("bits_per_image"),
                DoubleColumn.create("prior_nll_bits_per_latent"), DoubleColumn.create("prior_bits_per_image"),
                DoubleColumn.create("test_mse"), DoubleColumn.create("test_mse_over_variance"));
        Table rejection;
        Table curves;
        try (VqVaeModel m = VqVaeModel.train(net, train, c.training().settings(seed), Progress.current())) {
            double vqS = (System.nanoTime() - t0) / 1e9;
            curves = m.curve().copy().setName("VQ-VAE-2 training curve");
            VqVaeModel.Evaluation e = m.evaluate(test);
            int show = 16;
            ImageGrid.of(SIDE, SIDE).columns(show).range(-0.5, 0.5).scale(2)
                    .row(VqVaeRecipe.features(test, show)).row(m.reconstruct(test.head(show)))
                    .png().save(out.resolve("vq-vae-2-reconstructions.png"));
            VqVaeModel.LevelStats bottom = e.levels().get(0);
            VqVaeModel.LevelStats top = e.levels().get(1);
            int factor = bottom.height() / top.height();

            // Codes and conditions: top prior on class labels, bottom prior on the top codes.
            List<int[]> trainCodes = m.codes(train);
            List<int[]> testCodes = m.codes(test);
            long t1 = System.nanoTime();
            PriorModel.Codes topTrain = PriorModel.Codes.of(train.size(), top.height(), top.width(), trainCodes.get(1))
                    .conditionedOn(labelPlanes(train, top.height() * top.width()));
            PriorModel.Codes topTest = PriorModel.Codes.of(test.size(), top.height(), top.width(), testCodes.get(1))
                    .conditionedOn(labelPlanes(test, top.height() * top.width()));
            PriorModel.Codes bottomTrain = PriorModel.Codes.of(train.size(), bottom.height(), bottom.width(), trainCodes.get(0))
                    .conditionedOn(PriorModel.Codes.of(train.size(), top.height(), top.width(), trainCodes.get(1)).upsampled(factor));
            PriorModel.Codes bottomTest = PriorModel.Codes.of(test.size(), bottom.height(), bottom.width(), testCodes.get(0))
                    .conditionedOn(PriorModel.Codes.of(test.size(), top.height(), top.width(), testCodes.get(1)).upsampled(factor));
            VqVaeModel.Settings ps = c.prior().training().settings(seed);
            Net topNet = VqVae2.prior(c.autoencoder().codes(), top.height(), top.width()).channels(c.prior().channels()).layers(c.prior().layers())
                    .conditionedOn(CLASSES, 0).attentionEvery(1, 2).named("top-prior").build();
            Net bottomNet = VqVae2.prior(c.autoencoder().codes(), bottom.height(), bottom.width()).channels(c.prior().channels()).layers(c.prior().layers())
                    .conditionedOn(c.autoencoder().codes(), 1).named("bottom-prior").build();   // no attention, a conditioning stack
            int n = c.sampling().perClass() * CLASSES;
            int[] intended = new int[n];
            for (int i = 0; i < n; i++) intended[i] = i / c.sampling().perClass();
            float[] samples;
            double topBits;
            double bottomBits;
            try (PriorModel topPrior = PriorModel.train(topNet, topTrain, ps, Progress.current());
                 PriorModel bottomPrior = PriorModel.train(bottomNet, bottomTrain, ps, Progress.current())) {
                topBits = topPrior.nll(topTest) / Math.log(2);
                bottomBits = bottomPrior.nll(bottomTest) / Math.log(2);
                int[] topPlanes = new int[n * top.height() * top.width()];
                for (int i = 0; i < n; i++) Arrays.fill(topPlanes, i * top.height() * top.width(), (i + 1) * top.height() * top.width(), intended[i]);
                int[] topSample = topPrior.sample(n, topPlanes, seed);
                int[] bottomSample = bottomPrior.sample(n, PriorModel.Codes.of(n, top.height(), top.width(), topSample).upsampled(factor), seed + 1);
                samples = m.decode(List.of(bottomSample, topSample), n);
            }
            double priorS = (System.nanoTime() - t1) / 1e9;
            addLevel(levelsTable, top, topBits, e.mse(), variance);
            addLevel(levelsTable, bottom, bottomBits, e.mse(), variance);
            int perRow = Math.min(c.sampling().perClass(), 12);
            ImageGrid grid = ImageGrid.of(SIDE, SIDE).columns(perRow).range(-0.5, 0.5).scale(2);
            for (int k = 0; k < CLASSES; k++) {   // one row per class, in label order
                grid = grid.row(Arrays.copyOfRange(samples, k * c.sampling().perClass() * SIDE * SIDE, (k * c.sampling().perClass() + perRow) * SIDE * SIDE));
            }
            grid.png().save(out.resolve("vq-vae-2-samples.png"));
            long t2 = System.nanoTime();
            rejection = rejection(c, fullTrain, test, samples, intended, seed);
            System.err.printf(Locale.ROOT, "vq-vae-2: mse %.5f, top %.1f/%d bottom %.1f/%d perplexity, prior %.2f / %.2f bits; %.0fs + %.0fs + %.0fs%n",
                    e.mse(), top.perplexity(), top.codes(), bottom.perplexity(), bottom.codes(), topBits, bottomBits,
                    vqS, priorS, (System.nanoTime() - t2) / 1e9);
        }
        ResultFiles.table(out, "vq-vae-2-levels", levelsTable, stamp);
        ResultFiles.table(out, "vq-vae-2-rejection", rejection, stamp);
        ResultFiles.table(out, "vq-vae-2-curves", curves, stamp);
        return List.of(levelsTable, rejection, curves);
    }

    private static void addLevel(Table t, VqVaeModel.LevelStats l, double nllBits, double mse, double variance) {
        t.stringColumn("level").append(l.level());
        t.stringColumn("codes_map").append(l.height() + "x" + l.width());
        t.intColumn("codes_K").append(l.codes());
        t.doubleColumn("perplexity").append(l.perplexity());
        t.doubleColumn("codes_used").append(l.usage());
        t.doubleColumn("bits_per_image").append(l.height() * l.width() * Math.log(l.codes()) / Math.log(2));
        t.doubleColumn("prior_nll_bits_per_latent").append(nllBits);
        t.doubleColumn("prior_bits_per_image").append(nllBits * l.height() * l.width());
        t.doubleColumn("test_mse").append(mse);          // one decoder for both levels: the same reconstruction
        t.doubleColumn("test_mse_over_variance").append(mse / variance);
    }

    /** The class label of every example repeated over a plane of {@code size} positions. */
    static int[] labelPlanes(ArrayDataset d, int size) {
        int[] out = new int[d.size() * size];
        for (int i = 0; i < d.size(); i++) Arrays.fill(out, i * size, (i + 1) * size, d.label(i));
        return out;
    }

    /**
     * Classifier-based rejection sampling and the Classification Accuracy Score per threshold: keep
     * the samples whose scorer probability of the intended class is at least the threshold; train a
     * fresh classifier on the kept samples with their intended labels; test it on real images.
     */
    static Table rejection(Config c, ArrayDataset fullTrain, ArrayDataset test, float[] samples, int[] intended, long seed) {
        ArrayDataset realTrain = fullTrain.sample(c.sampling().scorer().images(), seed + 7).padded(2).shifted(-0.5f);
        Table t = Table.create("rejection sampling and Classification Accuracy Score",
                DoubleColumn.create("threshold"), IntColumn.create("kept"), DoubleColumn.create("acceptance"),
                IntColumn.create("classes_kept"), DoubleColumn.create("scorer_accuracy_on_kept"),
                DoubleColumn.create("diversity_pixel_std"), DoubleColumn.create("cas_test_accuracy"),
                DoubleColumn.create("real_data_classifier_test_accuracy"));
        int n = intended.length;
        ArrayDataset generated = new ArrayDataset("vq-vae-2 samples", samples, Shape.of(1, SIDE, SIDE), intended, CLASSES, null);
        double realAccuracy;
        double[] pIntended = new double[n];
        int[] predicted = new int[n];
        try (TrainedModel scorer = Fit.of(classifier(), realTrain).epochs(c.sampling().scorer().epochs()).batchSize(64).seed(seed)
                .optimizer(Optimizers.adam(1e-3)).progress(Progress.current()).run()) {
            realAccuracy = scorer.evaluate(test).doubleColumn("accuracy").get(0);
            float[][] logits = scorer.predict(generated);
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (float v : logits[i]) max = Math.max(max, v);
                double z = 0;
                int best = 0;
                for (int k = 0; k < CLASSES; k++) {
                    z += Math.exp(logits[i][k] - max);
                    if (logits[i][k] > logits[i][best]) best = k;
                }
                pIntended[i] = Math.exp(logits[i][intended[i]] - max) / z;
                predicted[i] = best;
            }
        }
        for (double threshold : c.sampling().thresholds()) {
            int[] keep = java.util.stream.IntStream.range(0, n).filter(i -> pIntended[i] >= threshold).toArray();
            long classesKept = Arrays.stream(keep).map(i -> intended[i]).distinct().count();
            double agree = Arrays.stream(keep).filter(i -> predicted[i] == intended[i]).count() / (double) Math.max(1, keep.length);
            double cas = Double.NaN;
            if (keep.length >= CLASSES) {
                ArrayDataset kept = generated.select(keep, "kept at " + threshold);
                try (TrainedModel casModel = Fit.of(classifier(), kept).epochs(c.sampling().casEpochs()).batchSize(32).seed(seed)
                        .optimizer(Optimizers.adam(1e-3)).progress(Progress.current()).run()) {
                    cas = casModel.evaluate(test).doubleColumn("accuracy").get(0);
                }
            }
            t.doubleColumn("threshold").append(threshold);
            t.intColumn("kept").append(keep.length);
            t.doubleColumn("acceptance").append(keep.length / (double) n);
            t.intColumn("classes_kept").append((int) classesKept);
            t.doubleColumn("scorer_accuracy_on_kept").append(keep.length == 0 ? Double.NaN : agree);
            t.doubleColumn("diversity_pixel_std").append(diversity(samples, intended, keep));
            t.doubleColumn("cas_test_accuracy").append(cas);
            t.doubleColumn("real_data_classifier_test_accuracy").append(realAccuracy);
        }
        return t;
    }

    /** Mean over classes and pixels of the standard deviation across the kept samples of a class. */
    static double diversity(float[] samples, int[] intended, int[] keep) {
        int size = SIDE * SIDE;
        double total = 0;
        int classes = 0;
        for (int k = 0; k < CLASSES; k++) {
            final int cls = k;
            int[] idx = Arrays.stream(keep).filter(i -> intended[i] == cls).toArray();
            if (idx.length < 2) continue;
            double sumStd = 0;
            for (int p = 0; p < size; p++) {
                double s = 0;
                double sq = 0;
                for (int i : idx) {
                    double v = samples[i * size + p];
                    s += v;
                    sq += v * v;
                }
                double mean = s / idx.length;
                sumStd += Math.sqrt(Math.max(0, sq / idx.length - mean * mean));
            }
            total += sumStd / size;
            classes++;
        }
        return classes == 0 ? Double.NaN : total / classes;
    }
}
