package netbook.train;

import static netbook.vq.Vq.coder;
import static netbook.vq.Vq.decoder;
import static netbook.vq.Vq.encoder;
import static netbook.vq.Vq.vectorQuantize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.data.SyntheticCrossDomain;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import netbook.pcrec.BipartiteGraph;
import netbook.pcrec.BprRecommender;
import netbook.pcrec.ContrastivePretraining;
import netbook.pcrec.GinEncoder;
import netbook.pcrec.RandomWalkSampler;
import netbook.vq.PriorModel;
import netbook.vq.VectorQuantize;
import netbook.vq.Vq;
import netbook.vq.VqVae2;
import netbook.vq.VqVaeModel;
import netbook.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The determinism contract: on one machine, with the same seed, data and thread count (surefire
 * runs with {@code -Dai.djl.pytorch.num_threads=2}), two training runs give bit-identical per-step
 * losses, in one JVM and in two. One short run per model family (a few to ten optimizer steps,
 * small widths, small data); the losses are compared as raw doubles with no tolerance.
 * <p>Data: the first images of Fashion-MNIST's test set when the files are installed, otherwise
 * seeded synthetic 1x28x28 images ({@link #images}); the contract does not depend on which.
 */
class DeterminismTest {
    /** Zoo runs: 64 examples in batches of 8 = 8 Adam steps. */
    static final int ZOO_EXAMPLES = 64;
    static final int ZOO_BATCH = 8;
    static final long SEED = 7;
    /** How long the child JVM of the two-JVM test may take (about 5 s on 2 idle cores; far more when the cores are shared). */
    static final long CHILD_DEADLINE_S = 300;

    @TempDir Path dir;

    // ---------------------------------------------------------------- shared helpers (also used by FiniteTrainingStressTest)

    /**
     * A {@link Progress} that records every step's loss, in order, and stops the run at the first
     * loss that is not finite with an exception naming the model and the step (for loops that report
     * a step before checking it themselves, or check only per epoch). A RuntimeException, not an
     * AssertionError, so the training loops' clean-up on failure runs and frees the engine's memory.
     */
    static final class StepLosses implements Progress {
        private final String what;
        private final List<Double> values = new ArrayList<>();

        StepLosses(String what) {
            this.what = what;
        }

        @Override
        public void step(int epoch, int step, double loss) {
            values.add(loss);
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException(what + ": loss is " + loss + " at step " + values.size() + " (epoch " + epoch + ", step " + step + " of the epoch)");
            }
        }

        double[] values() {
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private static ArrayDataset fashionTest;
    private static boolean fashionChecked;

    /**
     * The first {@code n} images of Fashion-MNIST's test set when its files are installed (see
     * {@link FashionMnist#standard()}); otherwise {@code n} seeded synthetic 1x28x28 images in 10
     * classes (a bright band whose row depends on the class, plus Gaussian noise), the same in
     * every JVM.
     */
    static synchronized ArrayDataset images(int n) {
        if (!fashionChecked) {
            fashionChecked = true;
            try {
                fashionTest = FashionMnist.test();
            } catch (NetbookException missing) {
                fashionTest = null;
            }
        }
        if (fashionTest != null && fashionTest.size() >= n) return fashionTest.head(n);
        return synthetic(n, 20240601L);
    }

    static ArrayDataset synthetic(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 28 * 28];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(10);
            y[i] = c;
            for (int p = 0; p < 28 * 28; p++) {
                int row = p / 28;
                double v = (Math.abs(row - 4 - 2 * c) < 2 ? 0.8 : 0.1) + 0.15 * r.nextGaussian();
                x[i * 28 * 28 + p] = (float) Math.min(1, Math.max(0, v));
            }
        }
        return new ArrayDataset("synthetic-fashion", x, Shape.of(1, 28, 28), y, 10, null);
    }

    /** Per-step losses of {@link Fit} on the zoo model {@code name}: the project's usual Adam 3e-3 with cosine decay. */
    static double[] zooLosses(String name, int examples, int batch, long seed) {
        StepLosses p = new StepLosses(name);
        try (TrainedModel m = Fit.of(Zoo.get(name), images(examples)).epochs(1).batchSize(batch).seed(seed)
                .optimizer(Optimizers.adam(3e-3).schedule(Schedule.cosine())).progress(p).run()) {
            return p.values();
        }
    }

    /** A one-level VQ-VAE at small widths (28x28 -> 7x7 codes); {@code ema}: EMA codebook updates instead of a trainable codebook. */
    static Net smallVqVae(boolean ema) {
        VectorQuantize q = ema ? vectorQuantize(32, 8).ema() : vectorQuantize(32, 8);
        return Net.input(1, 28, 28).named(ema ? "vq-vae-ema" : "vq-vae")
                .add(Vq.vqVae(encoder(coder().channel(16).resBlocks(1).resChannels(8)), q, decoder(1, coder().channel(16).resBlocks(1).resChannels(8))).named("vqvae"));
    }

    static double[] vqVaeLosses(boolean ema, int steps, int batch, long seed) {
        StepLosses p = new StepLosses(ema ? "VQ-VAE (EMA codebook)" : "VQ-VAE (trainable codebook)");
        try (VqVaeModel m = VqVaeModel.train(smallVqVae(ema), images(steps * batch), VqVaeModel.settings().steps(steps).batchSize(batch).lr(2e-3).seed(seed), p)) {
            return p.values();
        }
    }

    /** {@code n} seeded 7x7 maps of 16 codes, with some spatial structure (a code repeats to its right with probability 1/2). */
    static PriorModel.Codes codes(int n, long seed) {
        Random r = new Random(seed);
        int[] c = new int[n * 49];
        for (int i = 0; i < c.length; i++) c[i] = i % 7 > 0 && r.nextBoolean() ? c[i - 1] : r.nextInt(16);
        return PriorModel.Codes.of(n, 7, 7, c);
    }

    /** A gated PixelCNN prior over 7x7 maps of 16 codes: 3 gated layers, causal attention after the second. */
    static Net smallPrior() {
        return VqVae2.prior(16, 7, 7).channels(16).layers(3).attentionEvery(2, 2).build();
    }

    static double[] priorLosses(int steps, int batch, long seed) {
        StepLosses p = new StepLosses("PixelCNN prior");
        try (PriorModel m = PriorModel.train(smallPrior(), codes(steps * batch, 3), VqVaeModel.settings().steps(steps).batchSize(batch).lr(3e-3).seed(seed), p)) {
            return p.values();
        }
    }

    static final SyntheticCrossDomain.Config GRAPH_DATA = new SyntheticCrossDomain.Config(150, 60, 40, 4, 0.5, 0.3, 10, 6, 3, 0.8, 5);

    /** GCC's settings with a small GIN (hidden 16), 16-node walks and a short queue. */
    static ContrastivePretraining.Config smallGcc(int steps, int batch, long seed) {
        return ContrastivePretraining.Config.gcc(2).sampler(RandomWalkSampler.gcc(2).maxNodes(16))
                .encoder(GinEncoder.Config.GCC.hidden(16)).steps(steps).batchSize(batch).queueSize(128).seed(seed);
    }

    /** InfoNCE per step, from {@link ContrastivePretraining.Result#losses()}, checked against the progress callback. */
    static double[] gccLosses(int steps, int batch, long seed) {
        BipartiteGraph g = BipartiteGraph.of(SyntheticCrossDomain.generate(GRAPH_DATA).source());
        StepLosses p = new StepLosses("GIN+MoCo pre-training");
        try (ContrastivePretraining.Result r = ContrastivePretraining.run(g, smallGcc(steps, batch, seed), p)) {
            double[] l = r.losses();
            assertArrayEquals(l, p.values(), "Result.losses() and the progress callback report the same steps");
            return l;
        }
    }

    /** BPR-MF (dim 8) on the synthetic target domain, no validation set; per-step losses from the progress callback. */
    static BprRecommender.Trained bprMf(int epochs, int batch, long seed, StepLosses p) {
        SyntheticCrossDomain.Config data = new SyntheticCrossDomain.Config(200, 80, 120, 4, 0.5, 0.3, 10, 8, 3, 0.8, 11);
        return BprRecommender.train("BPR-MF", SyntheticCrossDomain.generate(data).target(), null,
                BprRecommender.Config.mf().dim(8).batchSize(batch).epochs(epochs).seed(seed), BprRecommender.Init.random(), p);
    }

    /** At least two values, all finite, and the two runs bit-identical. */
    static void assertSameBits(String what, double[] first, double[] second) {
        assertTrue(first.length >= 2, what + ": only " + first.length + " losses were recorded");
        for (int i = 0; i < first.length; i++) {
            assertTrue(Double.isFinite(first[i]), what + ": loss " + first[i] + " at step " + (i + 1));
        }
        // assertArrayEquals on double[] compares Double.doubleToLongBits: exact, no tolerance.
        assertArrayEquals(first, second, what + ": the two runs' losses differ (same seed, data and threads)");
    }

    // ---------------------------------------------------------------- one JVM, two runs

    @Test
    void googlenetSmall() {
        assertSameBits("googlenet-small", zooLosses("googlenet-small", ZOO_EXAMPLES, ZOO_BATCH, SEED),
                zooLosses("googlenet-small", ZOO_EXAMPLES, ZOO_BATCH, SEED));
    }

    @Test
    void inceptionV3Small() {
        assertSameBits("inception-v3-small", zooLosses("inception-v3-small", ZOO_EXAMPLES, ZOO_BATCH, SEED),
                zooLosses("inception-v3-small", ZOO_EXAMPLES, ZOO_BATCH, SEED));
    }

    /**
     * Inception-ResNet's residual scale is a constant in backward; with DJL's {@code mul(Number)} its
     * gradients read freed memory and same-seed runs split within 50 steps (ScalarTest pins the cause).
     */
    @Test
    void inceptionResNetV2Small() {
        assertSameBits("inception-resnet-v2-small", zooLosses("inception-resnet-v2-small", 3 * ZOO_EXAMPLES, ZOO_BATCH, SEED),
                zooLosses("inception-resnet-v2-small", 3 * ZOO_EXAMPLES, ZOO_BATCH, SEED));
    }

    @Test
    void resnet18Small() {
        assertSameBits("resnet18-small", zooLosses("resnet18-small", ZOO_EXAMPLES, ZOO_BATCH, SEED),
                zooLosses("resnet18-small", ZOO_EXAMPLES, ZOO_BATCH, SEED));
    }

    @Test
    void vqVaeWithTrainableAndEmaCodebooks() {
        // VqVaeModel.train reports every step's loss (MSE + latent loss) to its Progress; curve() keeps only every tenth.
        for (boolean ema : new boolean[] {false, true}) {
            assertSameBits(ema ? "VQ-VAE (EMA codebook)" : "VQ-VAE (trainable codebook)",
                    vqVaeLosses(ema, 10, 8, SEED), vqVaeLosses(ema, 10, 8, SEED));
        }
    }

    @Test
    void pixelCnnPrior() {
        // PriorModel.train reports every step's NLL to its Progress; curve() keeps only every tenth.
        assertSameBits("PixelCNN prior", priorLosses(10, 8, SEED), priorLosses(10, 8, SEED));
    }

    @Test
    void ginMocoContrastivePretraining() {
        assertSameBits("GIN+MoCo pre-training", gccLosses(8, 8, SEED), gccLosses(8, 8, SEED));
    }

    @Test
    void bprMf() {
        // Trained.loss() is per epoch; the progress callback gives every step. Compare both.
        StepLosses a = new StepLosses("BPR-MF");
        StepLosses b = new StepLosses("BPR-MF");
        BprRecommender.Trained ta = bprMf(2, 256, SEED, a);
        BprRecommender.Trained tb = bprMf(2, 256, SEED, b);
        assertSameBits("BPR-MF", a.values(), b.values());
        assertArrayEquals(ta.loss(), tb.loss(), "BPR-MF: per-epoch losses");
        for (int u = 0; u < ta.users().length; u++) assertArrayEquals(ta.users()[u], tb.users()[u], 0f, "BPR-MF: user " + u);
    }

    // ---------------------------------------------------------------- two JVMs

    /**
     * The child JVM of {@link #aFreshJvmGivesTheSameLossesAsThisOneBitForBit}: args seed, examples, batch, then model
     * names, trained in that order; prints one {@code LOSS <model> <raw bits in hex> <value>} line per step.
     */
    static final class ChildRun {
        public static void main(String[] args) {
            long seed = Long.parseLong(args[0]);
            int examples = Integer.parseInt(args[1]);
            int batch = Integer.parseInt(args[2]);
            for (int i = 3; i < args.length; i++) {
                for (double v : zooLosses(args[i], examples, batch, seed)) {
                    System.out.println("LOSS " + args[i] + " " + Long.toHexString(Double.doubleToRawLongBits(v)) + " " + Double.toHexString(v));
                }
            }
            System.out.flush();
        }
    }

    /**
     * A fresh JVM (same class path, same {@code ai.djl.*} and {@code netbook.*} properties, so the
     * same thread count) trains googlenet-small and then resnet18-small; this JVM trains resnet18-small
     * first and googlenet-small second, so here googlenet-small runs after whatever the engine and
     * Netbook set up lazily on first use, there before it. googlenet-small has dropout, so its losses
     * follow the engine's random stream during training: a one-time set-up that draws from that
     * stream in the middle of the first run shows up as a difference.
     */
    @Test
    void aFreshJvmGivesTheSameLossesAsThisOneBitForBit() throws Exception {
        List<String> models = List.of("googlenet-small", "resnet18-small");   // the child's order
        double[] resnetHere = zooLosses("resnet18-small", ZOO_EXAMPLES, ZOO_BATCH, SEED);
        double[] googlenetHere = zooLosses("googlenet-small", ZOO_EXAMPLES, ZOO_BATCH, SEED);

        List<String> args = new ArrayList<>(List.of(String.valueOf(SEED), String.valueOf(ZOO_EXAMPLES), String.valueOf(ZOO_BATCH)));
        args.addAll(models);
        String out = runChild(dir.resolve("child.log"), ChildRun.class, args, null);

        for (String model : models) {
            List<Double> there = new ArrayList<>();
            for (String line : out.split("\\R")) {
                String[] f = line.split(" ");
                if (f.length >= 3 && f[0].equals("LOSS") && f[1].equals(model)) there.add(Double.longBitsToDouble(Long.parseUnsignedLong(f[2], 16)));
            }
            double[] here = model.equals("resnet18-small") ? resnetHere : googlenetHere;
            assertEquals(here.length, there.size(), model + ": steps in this JVM vs in the child; child output:\n" + out);
            assertSameBits(model + " in a fresh JVM vs in this one", here, there.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /**
     * Runs {@code main} in a fresh JVM with this one's class path and ai.djl / netbook properties,
     * waits at most {@link #CHILD_DEADLINE_S} seconds (killing it then), fails on a non-zero exit
     * and returns its output. {@code preload}: null keeps this process's LD_PRELOAD and MALLOC_CONF,
     * "" removes them (glibc malloc), a path preloads that library instead.
     */
    static String runChild(Path log, Class<?> main, List<String> args, String preload) throws Exception {
        List<String> cmd = childCommand(main, args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (preload != null) {
            pb.environment().remove("LD_PRELOAD");
            pb.environment().remove("MALLOC_CONF");
            if (!preload.isEmpty()) pb.environment().put("LD_PRELOAD", preload);
        }
        // Output to a file, not a pipe: the child can never block on a full pipe while we wait.
        Process child = pb.start();
        boolean done;
        try {
            done = child.waitFor(CHILD_DEADLINE_S, TimeUnit.SECONDS);
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
        String out = read(log);
        if (!done) fail("the child JVM did not finish within " + CHILD_DEADLINE_S + " s and was killed; command " + cmd + "\noutput:\n" + out);
        assertEquals(0, child.exitValue(), "the child JVM failed; command " + cmd + "\noutput:\n" + out);
        return out;
    }

    /** A java command line for {@code main} with this JVM's class path and its ai.djl.* and netbook.* properties. */
    static List<String> childCommand(Class<?> main, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("ai.djl.") || key.startsWith("netbook.")) cmd.add("-D" + key + "=" + System.getProperty(key));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        return cmd;
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "(no output)";
    }
}
