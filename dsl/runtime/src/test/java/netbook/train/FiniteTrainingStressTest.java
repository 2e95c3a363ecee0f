package netbook.train;

import netbook.env.Env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import netbook.pcrec.BprRecommender;
import netbook.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every small zoo model, and the quick trainings of the other families (VQ-VAE, a PixelCNN prior,
 * GIN+MoCo pre-training, BPR-MF), run at least {@value #STEPS} optimizer steps with a finite loss
 * at every step. Cheap on purpose: batches of {@value #BATCH}, {@value #STEPS} x {@value #BATCH}
 * examples (Fashion-MNIST's first test images, or seeded synthetic ones when the files are absent:
 * {@link DeterminismTest#images}), the models' small widths, the project's usual Adam 3e-3 with
 * cosine decay for the zoo.
 * <p>Cost, measured with plain java (not Maven) on 2 otherwise idle cores (AMD EPYC, no AVX-512),
 * -Dai.djl.pytorch.num_threads=2: about 35 s for the ten small zoo models and 7 s for the other
 * families, so well under a minute for the class (per-model figures below). When another
 * two-thread job shares the cores, OpenMP's spin-waiting makes every step many times slower (8
 * steps of inception-v3-small took 47 s instead of 4).
 */
class FiniteTrainingStressTest {
    static final int STEPS = 50;
    static final int BATCH = 8;
    static final long SEED = 11;

    /** Every zoo entry whose name ends in {@code -small}, so a new small variant is covered without editing this test. */
    static Stream<String> smallZooModels() {
        return Zoo.names().stream().filter(n -> n.endsWith("-small"));
    }

    /** Every loss finite, naming the model and the 1-based step of the first that is not; at least {@link #STEPS} of them. */
    static void assertFiniteSteps(String model, double[] losses) {
        assertTrue(losses.length >= STEPS, model + ": " + losses.length + " optimizer steps ran, expected at least " + STEPS);
        for (int i = 0; i < losses.length; i++) {
            if (!Double.isFinite(losses[i])) {
                throw new AssertionError(model + ": loss is " + losses[i] + " at step " + (i + 1) + " of " + losses.length);
            }
        }
    }

    /**
     * The whole stress set again in a second JVM on the other allocator: glibc malloc when this
     * JVM runs on jemalloc (as under ./netbook test), else jemalloc when Debian's libjemalloc2 is
     * installed (glibc again otherwise). Reused memory is where the engine's defects showed.
     */
    @Test
    void theSameRunsAreFiniteUnderTheOtherAllocator(@TempDir Path dir) throws Exception {
        boolean here = System.getenv().getOrDefault("LD_PRELOAD", "").contains("libjemalloc");
        String jemalloc = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
        String other = here || !Files.exists(Path.of(jemalloc)) ? "" : jemalloc;
        String out = DeterminismTest.runChild(dir.resolve("stress.log"), FiniteTrainingStressTest.class, List.of(), other);
        assertTrue(out.contains("stress: all finite"), out);
    }

    /** The stress set as a program, for the second JVM: exits non-zero naming the first failure. */
    public static void main(String[] args) {
        try {
            runAll();
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void runAll() {
        System.out.println("stress on " + Env.allocator());
        for (String name : smallZooModels().toList()) {
            assertFiniteSteps(name, DeterminismTest.zooLosses(name, STEPS * BATCH, BATCH, SEED));
            System.out.println("stress: " + name + " finite");
        }
        for (boolean ema : new boolean[] {false, true}) {
            assertFiniteSteps("VQ-VAE", DeterminismTest.vqVaeLosses(ema, STEPS, BATCH, SEED));
        }
        assertFiniteSteps("PixelCNN prior", DeterminismTest.priorLosses(STEPS, BATCH, SEED));
        assertFiniteSteps("GIN+MoCo pre-training", DeterminismTest.gccLosses(STEPS, BATCH, SEED));
        DeterminismTest.StepLosses p = new DeterminismTest.StepLosses("BPR-MF");
        DeterminismTest.bprMf(2, 32, SEED, p);
        assertFiniteSteps("BPR-MF", p.values());
        System.out.println("stress: all finite");
    }

    @Test
    void theZooHasSmallModels() {
        List<String> small = smallZooModels().toList();
        assertFalse(small.isEmpty(), "no zoo entry ends in -small");
        assertTrue(small.containsAll(List.of("googlenet-small", "inception-v3-small", "resnet18-small")), small.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallZooModels")
    void smallZooModelTrainsWithFiniteLosses(String name) {
        // Fit itself stops at a non-finite loss with an error naming the model, the epoch and the step
        // ("<model>: training diverged at epoch 1, step k ..."); the check below covers every step it reported.
        assertFiniteSteps(name, DeterminismTest.zooLosses(name, STEPS * BATCH, BATCH, SEED));
    }

    @Test
    void vqVaeTrainsWithFiniteLosses() {
        for (boolean ema : new boolean[] {false, true}) {
            assertFiniteSteps(ema ? "VQ-VAE (EMA codebook)" : "VQ-VAE (trainable codebook)", DeterminismTest.vqVaeLosses(ema, STEPS, BATCH, SEED));
        }
    }

    @Test
    void pixelCnnPriorTrainsWithFiniteLosses() {
        assertFiniteSteps("PixelCNN prior", DeterminismTest.priorLosses(STEPS, BATCH, SEED));
    }

    @Test
    void ginMocoPretrainingTrainsWithFiniteLosses() {
        assertFiniteSteps("GIN+MoCo pre-training", DeterminismTest.gccLosses(STEPS, BATCH, SEED));
    }

    @Test
    void bprMfTrainsWithFiniteLosses() {
        DeterminismTest.StepLosses p = new DeterminismTest.StepLosses("BPR-MF");
        // 1,226 training interactions in batches of 32: 39 steps per epoch, 78 in two epochs.
        BprRecommender.Trained t = DeterminismTest.bprMf(2, 32, SEED, p);
        assertEquals(2, t.epochsRun(), "no validation set: every epoch runs");
        assertFiniteSteps("BPR-MF", p.values());
    }
}
