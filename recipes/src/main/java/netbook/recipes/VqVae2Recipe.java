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
                  VqVaeRecipe.Prior prior, Sampling sampling, OneVsTwo oneVsTwo) {
        static final Config QUICK = new Config(
                new VqVaeRecipe.Images(4000, 1000),
                VqVaeRecipe.Autoencoder.of(32, 1, 16).codebook(64, 16),
                new VqVaeRecipe.Optimisation(250, 32, 2e-3),
                new VqVaeRecipe.Prior(32, 3, new VqVaeRecipe.Optimisation(200, 32, 3e-3)),
                new Sampling(12, new Scorer(6000, 1), 6, new double[] {0, 0.5, 0.9}, 2),
                new OneVsTwo(new VqVaeRecipe.Images(1000, 500), VqVaeRecipe.Autoencoder.of(32, 1, 16).codebook(16, 16),
                        new VqVaeRecipe.Optimisation(40, 32, 2e-3), 2));
        /** All the data at half rosinality's widths, with step counts two CPU cores can afford; numbers and wall times in RESULTS.md. */
        static final Config FULL = new Config(
                new VqVaeRecipe.Images(60000, 10000),
                VqVaeRecipe.Autoencoder.of(64, 2, 32).codebook(256, 32),
                new VqVaeRecipe.Optimisation(1200, 64, 1e-3),
                new VqVaeRecipe.Prior(64, 5, new VqVaeRecipe.Optimisation(800, 32, 1e-3)),
                new Sampling(50, new Scorer(60000, 2), 10, new double[] {0, 0.3, 0.6, 0.9}, 3),
                new OneVsTwo(new VqVaeRecipe.Images(20000, 5000), VqVaeRecipe.Autoencoder.of(32, 1, 16).codebook(64, 16),
                        new VqVaeRecipe.Optimisation(800, 64, 2e-3), 3));
    }

    /**
     * One level against two at the same bits per image: the two-level model (8x8 bottom and 4x4 top
     * codes, K codes each) against one level of 8x8 codes whose codebook is sized so that its code
     * costs as many bits (64 log2 K1 = 80 log2 K). Both EMA codebooks, same widths, steps and seeds.
     */
    record OneVsTwo(VqVaeRecipe.Images images, VqVaeRecipe.Autoencoder autoencoder, VqVaeRecipe.Optimisation training, int seeds) {}

    /**
     * @param perClass samples drawn for each class
     * @param scorer the classifier that scores samples for rejection
     * @param casEpochs epochs of the classifier trained on all samples (no rejection); at every
     *     threshold the CAS classifier and its real-data control get the same number of optimiser
     *     steps as that one, so fewer kept samples means more epochs, not less training
     * @param thresholds scorer probabilities below which a sample is rejected
     * @param casSeeds classifier seeds per threshold (the samples stay the same)
     */
    record Sampling(int perClass, Scorer scorer, int casEpochs, double[] thresholds, int casSeeds) {}

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
        return model(c.autoencoder());
    }

    static Net model(VqVaeRecipe.Autoencoder a) {
        Vq.Coder bottom = a.coder();
        return Net.input(1, SIDE, SIDE).named("vq-vae-2").add(levels(
                level("bottom").encoder(encoder(bottom))
                        .quantize(vectorQuantize(a.codes(), a.dim()).ema()),
                level("top").encoder(encoder(bottom.stride(2)))
                        .quantize(vectorQuantize(a.codes(), a.dim()).ema())
                        .decoder(decoder(a.dim(), bottom.stride(2)))
                        .upsample(convTranspose(a.dim(), 4).stride(2).padding(1)))
                .decoder(decoder(1, bottom)).named("vqvae"));
    }

    /** One level of 8x8 codes (stride 4 on 32x32) with {@code codes} entries: the matched-bits rival of {@link #model(VqVaeRecipe.Autoencoder)}. */
    static Net oneLevel(VqVaeRecipe.Autoencoder a, int codes) {
        Vq.Coder widths = a.coder();
        return Net.input(1, SIDE, SIDE).named("vq-vae-one-level").add(
                Vq.vqVae(encoder(widths), vectorQuantize(codes, a.dim()).ema(), decoder(1, widths)).named("vqvae"));
    }

    /** {@code hierarchy}: two levels, priors, samples, rejection and CAS; {@code one-vs-two}: one level against two at matched bits. */
    @Override
    public List<String> parts() { return List.of("hierarchy", "one-vs-two"); }

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
        Files.createDirectories(out);
        List<Table> tables = new ArrayList<>();
        if (settings.only() == null || settings.only().equals("hierarchy")) tables.addAll(hierarchy(c, settings, out));
        if (settings.only() == null || settings.only().equals("one-vs-two")) tables.addAll(oneVsTwo(c, settings, out));
        return tables;
    }

    /**
     * The latent size the paper's way (input bits over code bits) for its ImageNet setting and for
     * this run, so the two ratios stand side by side.
     */
    static Table latentSize(Config c) {
        double bits = Math.log(c.autoencoder().codes()) / Math.log(2);
        double paperInput = 256.0 * 256 * 3 * 8;
        double paperCode = (64 * 64 + 32 * 32) * 9.0;   // 512 codes: 9 bits each
        double input = SIDE * SIDE * 8.0;
        double code = (8 * 8 + 4 * 4) * bits;
        return Table.create("latent size: input bits / code bits",
                StringColumn.create("case", new String[] {"paper: ImageNet 256x256x3 -> 64x64 + 32x32 codes, K=512",
                        "this run: Fashion-MNIST 32x32x1 -> 8x8 + 4x4 codes, K=" + c.autoencoder().codes()}),
                DoubleColumn.create("input_bits", paperInput, input),
                DoubleColumn.create("code_bits", paperCode, code),
                DoubleColumn.create("ratio", paperInput / paperCode, input / code));
    }

    /** Runs per seed (one level and two at matched bits) and the paired reading. */
    static List<Table> oneVsTwo(Config c, Settings settings, Path out) throws java.io.IOException {
        OneVsTwo o = c.oneVsTwo();
        FashionMnist fashion = settings.dataDir() == null ? FashionMnist.standard() : FashionMnist.at(settings.dataDir());
        ArrayDataset test = fashion.testSet().head(o.images().test()).padded(2).shifted(-0.5f);
        double variance = test.variance();
        int k = o.autoencoder().codes();
        double twoLevelBits = (8 * 8 + 4 * 4) * Math.log(k) / Math.log(2);
        int oneLevelCodes = (int) Math.round(Math.pow(2, twoLevelBits / (8 * 8)));
        double oneLevelBits = 8 * 8 * Math.log(oneLevelCodes) / Math.log(2);
        Table runs = Table.create("one level against two at matched bits, one row per run",
                StringColumn.create("model"), IntColumn.create("codes_per_level"), DoubleColumn.create("bits_per_image"),
                tech.tablesaw.api.LongColumn.create("seed"), DoubleColumn.create("test_mse_over_variance"), DoubleColumn.create("train_s"));
        Stamp stamp = null;
        double[] one = new double[o.seeds()];
        double[] two = new double[o.seeds()];
        for (int s = 0; s < o.seeds(); s++) {
            long seed = settings.seed() + s;
            ArrayDataset train = fashion.trainSet().sample(o.images().train(), seed).padded(2).shifted(-0.5f);
            if (stamp == null) stamp = Stamp.of(settings.seed(), Env.describe(Env.devices()), train.sourceHash());
            for (boolean twoLevels : new boolean[] {true, false}) {
                Net net = twoLevels ? model(o.autoencoder()) : oneLevel(o.autoencoder(), oneLevelCodes);
                long t0 = System.nanoTime();
                try (VqVaeModel m = VqVaeModel.train(net, train, o.training().settings(seed), Progress.current())) {
                    double ratio = m.evaluate(test).mse() / variance;
                    (twoLevels ? two : one)[s] = ratio;
                    runs.stringColumn("model").append(twoLevels ? "two levels (8x8 + 4x4)" : "one level (8x8)");
                    runs.intColumn("codes_per_level").append(twoLevels ? k : oneLevelCodes);
                    runs.doubleColumn("bits_per_image").append(twoLevels ? twoLevelBits : oneLevelBits);
                    runs.longColumn("seed").append(seed);
                    runs.doubleColumn("test_mse_over_variance").append(ratio);
                    runs.doubleColumn("train_s").append((System.nanoTime() - t0) / 1e9);
                    System.err.printf(Locale.ROOT, "vq-vae-2: %s, seed %d: mse/variance %.4f%n", twoLevels ? "two levels" : "one level", seed, ratio);
                }
            }
        }
        Seeds.Interval twoMean = Seeds.interval(two);
        Seeds.Interval oneMean = Seeds.interval(one);
        Seeds.Interval diff = Seeds.pairedDifference(one, two);
        Table reading = Table.create("one level against two at matched bits, paired across seeds",
                StringColumn.create("comparison", new String[] {"test MSE / variance: one level minus two levels"}),
                DoubleColumn.create("two_levels_mean", twoMean.mean()), DoubleColumn.create("one_level_mean", oneMean.mean()),
                DoubleColumn.create("difference", diff.mean()), DoubleColumn.create("ci95_low", diff.low()), DoubleColumn.create("ci95_high", diff.high()),
                StringColumn.create("verdict", new String[] {diff.low() > 0 ? "two levels reconstruct better"
                        : diff.high() < 0 ? "one level reconstructs better" : "within noise"}),
                IntColumn.create("seeds", new int[] {o.seeds()}));
        ResultFiles.table(out, "vq-vae-2-one-vs-two-runs", runs, stamp);
        ResultFiles.table(out, "vq-vae-2-one-vs-two", reading, stamp);
        return List.of(reading, runs);
    }

    /** rosinality's two levels, both priors, class-conditional samples, rejection sampling and CAS. */
    static List<Table> hierarchy(Config c, Settings settings, Path out) throws Exception {
        long seed = settings.seed();
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
        Table latent = latentSize(c);
        ResultFiles.table(out, "vq-vae-2-latent-size", latent, stamp);
        return List.of(levelsTable, rejection, curves, latent);
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

    /** Batch size of the CAS classifiers and their controls. */
    static final int CAS_BATCH = 32;

    /**
     * Classifier-based rejection sampling and the Classification Accuracy Score per threshold: keep
     * the samples whose scorer probability of the intended class is at least the threshold; train a
     * fresh classifier on the kept samples with their intended labels; test it on real images.
     * Every classifier (each threshold, each seed) takes the same number of optimiser steps, and a
     * control with the same steps trains on as many real images, class by class, as were kept: CAS
     * is read against it, and against no rejection, as paired differences over the seeds.
     */
    static Table rejection(Config c, ArrayDataset fullTrain, ArrayDataset test, float[] samples, int[] intended, long seed) {
        ArrayDataset realTrain = fullTrain.sample(c.sampling().scorer().images(), seed + 7).padded(2).shifted(-0.5f);
        int seeds = c.sampling().casSeeds();
        Table t = Table.create("rejection sampling and Classification Accuracy Score (" + seeds
                        + " classifier seeds per threshold, the same optimiser steps for every classifier)",
                DoubleColumn.create("threshold"), IntColumn.create("kept"), DoubleColumn.create("acceptance"),
                IntColumn.create("classes_kept"), DoubleColumn.create("diversity_pixel_std"), IntColumn.create("optimiser_steps"),
                DoubleColumn.create("cas_test_accuracy"), DoubleColumn.create("cas_ci95"),
                DoubleColumn.create("real_control_test_accuracy"), DoubleColumn.create("real_control_ci95"),
                DoubleColumn.create("cas_minus_control"), DoubleColumn.create("cas_minus_control_ci95"), StringColumn.create("cas_vs_control"),
                DoubleColumn.create("cas_minus_no_rejection"), DoubleColumn.create("cas_minus_no_rejection_ci95"),
                StringColumn.create("cas_vs_no_rejection"),
                DoubleColumn.create("scorer_agreement_all_samples"), DoubleColumn.create("real_data_classifier_test_accuracy"));
        int n = intended.length;
        ArrayDataset generated = new ArrayDataset("vq-vae-2 samples", samples, Shape.of(1, SIDE, SIDE), intended, CLASSES, null);
        double realAccuracy;
        double[] pIntended = new double[n];
        int agreeing = 0;
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
                if (best == intended[i]) agreeing++;
            }
        }
        // The scorer's agreement is reported over all samples only: among the kept ones at a
        // threshold of 0.5 or more it is 1 by construction.
        double agreement = agreeing / (double) n;
        int steps = c.sampling().casEpochs() * ceilDiv(n, CAS_BATCH);
        double[] noRejection = null;
        for (double threshold : c.sampling().thresholds()) {
            int[] keep = java.util.stream.IntStream.range(0, n).filter(i -> pIntended[i] >= threshold).toArray();
            long classesKept = Arrays.stream(keep).map(i -> intended[i]).distinct().count();
            t.doubleColumn("threshold").append(threshold);
            t.intColumn("kept").append(keep.length);
            t.doubleColumn("acceptance").append(keep.length / (double) n);
            t.intColumn("classes_kept").append((int) classesKept);
            t.doubleColumn("diversity_pixel_std").append(diversity(samples, intended, keep));
            t.doubleColumn("scorer_agreement_all_samples").append(agreement);
            t.doubleColumn("real_data_classifier_test_accuracy").append(realAccuracy);
            if (keep.length < CLASSES) {   // too few to train a ten-class classifier
                t.intColumn("optimiser_steps").appendMissing();
                for (String col : List.of("cas_test_accuracy", "cas_ci95", "real_control_test_accuracy", "real_control_ci95",
                        "cas_minus_control", "cas_minus_control_ci95", "cas_minus_no_rejection", "cas_minus_no_rejection_ci95")) {
                    t.doubleColumn(col).appendMissing();
                }
                t.stringColumn("cas_vs_control").append("too few kept");
                t.stringColumn("cas_vs_no_rejection").append("too few kept");
                continue;
            }
            ArrayDataset kept = generated.select(keep, "kept at " + threshold);
            int epochs = Math.max(1, (int) Math.round(steps / (double) ceilDiv(keep.length, CAS_BATCH)));
            double[] cas = new double[seeds];
            double[] control = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                long classifierSeed = seed + 100 + s;
                cas[s] = testAccuracy(kept, epochs, classifierSeed, test);
                control[s] = testAccuracy(realLike(realTrain, keep, intended, classifierSeed), epochs, classifierSeed, test);
            }
            if (noRejection == null) noRejection = cas;
            Seeds.Interval ci = Seeds.interval(cas);
            Seeds.Interval ctrl = Seeds.interval(control);
            Seeds.Interval diff = Seeds.pairedDifference(cas, control);
            Seeds.Interval gain = Seeds.pairedDifference(cas, noRejection);
            t.intColumn("optimiser_steps").append(epochs * ceilDiv(keep.length, CAS_BATCH));
            t.doubleColumn("cas_test_accuracy").append(ci.mean());
            t.doubleColumn("cas_ci95").append(ci.halfWidth());
            t.doubleColumn("real_control_test_accuracy").append(ctrl.mean());
            t.doubleColumn("real_control_ci95").append(ctrl.halfWidth());
            t.doubleColumn("cas_minus_control").append(diff.mean());
            t.doubleColumn("cas_minus_control_ci95").append(diff.halfWidth());
            t.stringColumn("cas_vs_control").append(diff.verdict());
            t.doubleColumn("cas_minus_no_rejection").append(gain.mean());
            t.doubleColumn("cas_minus_no_rejection_ci95").append(gain.halfWidth());
            t.stringColumn("cas_vs_no_rejection").append(threshold == c.sampling().thresholds()[0] ? "reference" : gain.verdict());
        }
        return t;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static double testAccuracy(ArrayDataset train, int epochs, long seed, ArrayDataset test) {
        try (TrainedModel m = Fit.of(classifier(), train).epochs(epochs).batchSize(CAS_BATCH).seed(seed)
                .optimizer(Optimizers.adam(1e-3)).progress(Progress.current()).run()) {
            return m.evaluate(test).doubleColumn("accuracy").get(0);
        }
    }

    /** Real training images, as many of each class as the kept samples hold, drawn with {@code seed}. */
    static ArrayDataset realLike(ArrayDataset real, int[] keep, int[] intended, long seed) {
        int[] wanted = new int[CLASSES];
        for (int i : keep) wanted[intended[i]]++;
        List<List<Integer>> byClass = new java.util.ArrayList<>();
        for (int k = 0; k < CLASSES; k++) byClass.add(new java.util.ArrayList<>());
        for (int i = 0; i < real.size(); i++) byClass.get(real.label(i)).add(i);
        java.util.Random rnd = new java.util.Random(seed);
        List<Integer> chosen = new java.util.ArrayList<>();
        for (int k = 0; k < CLASSES; k++) {
            List<Integer> pool = byClass.get(k);
            if (pool.size() < wanted[k]) {
                throw new netbook.dsl.NetbookException("vq-vae-2 CAS control: " + wanted[k] + " real images of class " + k
                        + " wanted, the scorer's training set has " + pool.size());
            }
            java.util.Collections.shuffle(pool, rnd);
            chosen.addAll(pool.subList(0, wanted[k]));
        }
        return real.select(chosen.stream().mapToInt(Integer::intValue).toArray(), "real control (" + chosen.size() + " images)");
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
