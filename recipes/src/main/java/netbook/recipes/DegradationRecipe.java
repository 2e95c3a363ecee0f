package netbook.recipes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.env.Env;
import netbook.train.Optimizers;
import netbook.train.Schedule;
import netbook.env.Stamp;
import netbook.zoo.CifarResNet;
import tech.tablesaw.api.Table;

/**
 * ResNet's degradation experiment (He et al., 2015, section 4.2): plain and residual networks of
 * the CIFAR design at a shallow and a deep depth, trained alike; the paper's claim is that the
 * deeper plain network ends with a higher training error than the shallower one, and the deeper
 * residual network does not. Each seed trains all four networks on the same data, so depth is
 * compared in pairs (deep minus shallow, same seed), and the verdict reads the paired interval.
 * <pre>./netbook recipe degradation            ./netbook recipe degradation --full [--only depths|longer]</pre>
 * Fashion-MNIST stands in for CIFAR-10, the widths are a quarter of the paper's by default, there is
 * no augmentation, and the shortcut where the width doubles is a 1x1 projection (option B). The
 * batches are a quarter of the paper's (32) with one warm-up epoch, for more steps in the same
 * time; even so the runs end after about 1,100 steps, where the paper trains for 64,000.
 */
public final class DegradationRecipe implements Recipe {

    /**
     * @param trainExamples training images (a seeded sample of the 60,000)
     * @param testExamples test images
     * @param epochs passes over the training sample
     * @param batch images per step
     * @param lr SGD's rate (momentum 0.9, weight decay 1e-4 as in the paper; cosine decay instead of its two steps)
     * @param warmup epochs of linear warm-up before the cosine decay (0 for none); the paper warms its
     *        110-layer network up at a tenth of the rate, and a deep network's start is steadier with it
     * @param width the first stage's width (the paper's is 16)
     * @param shallow the shallow depth (20 in the paper's Figure 6)
     * @param deep the deep depth (56)
     * @param seeds how many seeds, from the given one upwards
     */
    record Config(int trainExamples, int testExamples, int epochs, int batch, double lr, double warmup, int width, int shallow, int deep, int seeds) {
        /**
         * The RESULTS.md run (about 17 minutes on two AVX-512 Zen 4 cores). Batches of 32, not the
         * paper's 128: on two cores a step of 32 images costs little less than one of 128, so the same
         * six epochs give four times the optimiser steps (1,128 instead of 282) in about 1.2 times the
         * time, and the 56-layer networks, far from trained after 282 steps, get nearer to it. Three
         * seeds keep the run under 20 minutes on the slower of the CPUs it ran on.
         */
        static final Config FULL = new Config(
                6000, 2000,     // training and test images
                6, 32, 0.1,     // epochs, batch, SGD rate
                1,              // warm-up epochs
                8,              // widths 8/16/32
                20, 56,         // the paper's depths
                3);             // seeds
        /**
         * For tests and a first look, about 20 seconds a seed on two cores: 1,024 images, two epochs
         * (64 steps) at a quarter of the full width. At this scale the plain network's direction
         * holds seed by seed (56 layers trained worse than 20 in each of seeds 42-47, by 0.15 to
         * 0.37), the residual pair's does not.
         */
        static final Config QUICK = FULL.trainExamples(1024).testExamples(256).epochs(2).width(4).seeds(3);

        Config trainExamples(int n) { return new Config(n, testExamples, epochs, batch, lr, warmup, width, shallow, deep, seeds); }
        Config testExamples(int n) { return new Config(trainExamples, n, epochs, batch, lr, warmup, width, shallow, deep, seeds); }
        Config epochs(int n) { return new Config(trainExamples, testExamples, n, batch, lr, warmup, width, shallow, deep, seeds); }
        Config batch(int n) { return new Config(trainExamples, testExamples, epochs, n, lr, warmup, width, shallow, deep, seeds); }
        Config lr(double r) { return new Config(trainExamples, testExamples, epochs, batch, r, warmup, width, shallow, deep, seeds); }
        Config warmup(double e) { return new Config(trainExamples, testExamples, epochs, batch, lr, e, width, shallow, deep, seeds); }
        Config width(int w) { return new Config(trainExamples, testExamples, epochs, batch, lr, warmup, w, shallow, deep, seeds); }
        Config seeds(int n) { return new Config(trainExamples, testExamples, epochs, batch, lr, warmup, width, shallow, deep, n); }

        /** Cosine decay after {@link #warmup} epochs of linear warm-up. */
        Schedule schedule() { return Schedule.cosine().warmup(warmup); }

        @Override public String toString() {
            return String.format(Locale.ROOT, "%d training and %d test images, %d epochs, batch %d, SGD %.3g (momentum 0.9, decay 1e-4, %s), "
                    + "widths %d/%d/%d, depths %d and %d, %d seeds", trainExamples, testExamples, epochs, batch, lr, schedule().describe(),
                    width, 2 * width, 4 * width, shallow, deep, seeds);
        }
    }

    @Override public String name() { return "degradation"; }

    @Override public String description() {
        return "ResNet's degradation experiment: plain vs residual networks at depths 20 and 56, paired across seeds";
    }

    /**
     * {@code depths}: the four networks at both depths and the claims; {@code longer}: the residual
     * pair alone at twice the epochs (the full setting's 2,256 steps instead of 1,128), which shows
     * whether the deeper residual network's remaining deficit shrinks with training, as the paper's
     * 64,000 steps would have it vanish. At full size each part takes about 15-17 minutes on two
     * AVX-512 Zen 4 cores.
     */
    @Override public List<String> parts() { return List.of("depths", "longer"); }

    @Override
    public List<Table> run(Settings s, Path out) throws Exception {
        Config c = s.full() ? Config.FULL : Config.QUICK;
        List<Table> tables = new ArrayList<>();
        if (s.only() == null || s.only().equals("depths")) tables.addAll(run(s, out, c, false));
        if (s.only() == null || s.only().equals("longer")) tables.addAll(run(s, out, c.epochs(2 * c.epochs()), true));
        return tables;
    }

    /**
     * Trains every seed's networks under {@code c} (with {@code residualOnly}, the residual pair
     * alone, written as {@code degradation-longer-*}) and returns the claims, then the runs.
     */
    List<Table> run(Settings s, Path out, Config c, boolean residualOnly) throws Exception {
        String name = residualOnly ? "degradation-longer" : "degradation";
        System.err.println("netbook: " + name + ": " + c + (residualOnly ? ", residual networks only" : ""));
        FashionMnist source = s.dataDir() == null ? FashionMnist.standard() : FashionMnist.at(s.dataDir());
        PairedRuns runs = new PairedRuns(name);
        boolean[] kinds = residualOnly ? new boolean[] {true} : new boolean[] {false, true};
        for (int k = 0; k < c.seeds(); k++) {
            long seed = s.seed() + k;
            ArrayDataset train = source.trainSet().sample(c.trainExamples(), seed);
            ArrayDataset test = source.testSet().sample(c.testExamples(), seed + 1000);
            for (int depth : new int[] {c.shallow(), c.deep()}) {
                CifarResNet.Config cfg = CifarResNet.of(depth).input(1, 28, 28).classes(10).width(c.width());
                for (boolean residual : kinds) {
                    runs.train(label(residual, depth), seed, (residual ? cfg : cfg.residual(false)).build(), train, test, c.epochs(), c.batch(),
                            Optimizers.sgd(c.lr()).momentum(0.9).weightDecay(1e-4).schedule(c.schedule()));
                }
            }
        }
        Table runTable = runs.table(name + ": every run (" + c + ")");
        Table claims = claims(runTable, c.shallow(), c.deep(), !residualOnly);
        Stamp stamp = Stamp.of(s.seed(), Env.describe(Env.devices()), source.trainSet().sourceHash());
        ResultFiles.table(out, name + "-runs", runTable, stamp);
        ResultFiles.table(out, name + "-claims", claims, stamp);
        return List.of(claims, runTable);
    }

    /** A run's variant label: plain-20, residual-56, ... */
    static String label(boolean residual, int depth) {
        return (residual ? "residual-" : "plain-") + depth;
    }

    /**
     * The claims, read from the runs table: for each network, deep minus shallow paired by seed;
     * then the depth penalty of the plain network minus that of the residual one (the part of the
     * degradation the shortcuts remove). Without {@code withPlain}, the residual network's row alone.
     */
    static Table claims(Table runs, int shallow, int deep, boolean withPlain) {
        long[] seeds = PairedRuns.seeds(runs);
        PairedRuns.Claims claims = new PairedRuns.Claims();
        for (String what : new String[] {"train_error", "test_error"}) {
            double[][] penalty = new double[2][];
            for (int r = withPlain ? 0 : 1; r < 2; r++) {
                boolean residual = r == 1;
                double[] d = PairedRuns.values(runs, label(residual, deep), seeds, what);
                double[] sh = PairedRuns.values(runs, label(residual, shallow), seeds, what);
                penalty[r] = new double[seeds.length];
                for (int k = 0; k < seeds.length; k++) penalty[r][k] = d[k] - sh[k];
                claims.add((residual ? "residual" : "plain") + ": depth " + deep + " minus depth " + shallow, what, Seeds.pairedDifference(d, sh),
                        residual ? "lower (the deeper residual network trains better)" : "higher (the deeper plain network trains worse)");
            }
            if (withPlain) {
                claims.add("depth penalty: plain minus residual", what, Seeds.pairedDifference(penalty[0], penalty[1]),
                        "higher (shortcuts remove the degradation)");
            }
        }
        return claims.table("degradation: deep minus shallow, paired by seed (95% t interval over " + seeds.length + " seeds)");
    }
}
