package netbook.e2e;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import netbook.data.ArrayDataset;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.SpecJson;
import netbook.train.Fit;
import netbook.train.Npz;
import netbook.train.Progress;
import netbook.train.TrainedModel;
import netbook.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights to and from PyTorch (Debian's python3-torch): a Netbook model's exported weights loaded
 * into the module spec_torch.py builds from the same spec give the same outputs, and a PyTorch
 * module's weights imported into Netbook give PyTorch's outputs; both directions, for a custom
 * net and two zoo models, in eval mode (batch-norm running statistics included).
 */
class WeightsExchangeTest {
    static final String PYTHON = "/usr/bin/python3";
    static final Path ROOT = Path.of(System.getProperty("netbook.root", "..")).toAbsolutePath().normalize();

    static ArrayDataset random(Net net, int n, long seed) {
        Random r = new Random(seed);
        int size = (int) net.inputShape().size();
        float[] x = new float[n * size];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(10);
        return new ArrayDataset("random", x, net.inputShape(), y, 10, null);
    }

    static void python(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, ROOT.resolve("src/e2e/python/weights.py").toString()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("python.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        String out = Files.readString(log);
        assertTrue(done, "python did not finish in 300 s: " + out);
        assertEquals(0, p.exitValue(), "python3 weights.py failed (python3-torch missing? apt-get install python3-torch):\n" + out);
    }

    /** Largest absolute difference, checked against a tolerance scaled by the outputs' size. */
    static void assertClose(float[][] ours, float[] theirs, String what) {
        double max = 0;
        double scale = 1;
        int k = 0;
        for (float[] row : ours) {
            for (float v : row) {
                max = Math.max(max, Math.abs(v - theirs[k]));
                scale = Math.max(scale, Math.abs(theirs[k]));
                k++;
            }
        }
        assertEquals(theirs.length, k, what + ": output sizes");
        assertTrue(max <= 1e-4 * scale, what + ": largest difference " + max + " (outputs up to " + scale + ")");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void weightsRoundTripWithPyTorch(@TempDir Path dir) throws Exception {
        Net custom = Net.input(1, 28, 28).named("custom").add(normalize(new double[] {0.3}, new double[] {0.4}), conv(6, 3).padding(1), batchNorm(), relu(), maxPool(2),
                conv(8, 3), relu(), flatten(), linear(16), relu(), linear(10));
        for (Net net : List.of(custom, Zoo.get("resnet18-small"), Zoo.get("googlenet-small"))) {
            Path spec = dir.resolve(net.name() + ".json");
            Files.writeString(spec, SpecJson.write(net));
            ArrayDataset x = random(net, 4, 3);
            float[] xs = new float[(int) (4 * net.inputShape().size())];
            for (int i = 0; i < 4; i++) x.copyFeatures(i, xs, (int) (i * net.inputShape().size()));
            long[] xShape = new long[net.inputShape().rank() + 1];
            xShape[0] = 4;
            for (int d = 0; d < net.inputShape().rank(); d++) xShape[d + 1] = net.inputShape().dim(d);
            Path input = dir.resolve("x.npz");
            Npz.write(input, List.of(new Npz.Entry("x", xShape, xs)));

            // Netbook -> PyTorch: a few training steps first, so batch norm's running statistics are not the initial ones.
            try (TrainedModel m = Fit.of(net, random(net, 32, 1)).epochs(1).batchSize(16).seed(1).progress(Progress.none()).run()) {
                Path weights = dir.resolve(net.name() + "-netbook.npz");
                m.exportWeights(weights);
                Path out = dir.resolve("y-torch.npz");
                python(dir, "forward", spec.toString(), weights.toString(), input.toString(), out.toString());
                assertClose(m.predict(x), Npz.read(out).get(0).values(), net.name() + " Netbook -> PyTorch");
            }
            // PyTorch -> Netbook: PyTorch's own initialisation, imported into a model initialised otherwise.
            Path torchWeights = dir.resolve(net.name() + "-torch.npz");
            Path out = dir.resolve("y-torch2.npz");
            python(dir, "export", spec.toString(), "7", input.toString(), torchWeights.toString(), out.toString());
            try (TrainedModel u = TrainedModel.untrained(net, 99)) {
                u.importWeights(torchWeights);
                assertClose(u.predict(x), Npz.read(out).get(0).values(), net.name() + " PyTorch -> Netbook");
            }
        }
        // A file for another network: the first mis-shaped tensor is named with the parameter it would fill.
        try (TrainedModel other = TrainedModel.untrained(Net.input(1, 28, 28).named("other").add(conv(5, 3), flatten(), linear(10)), 1)) {
            String msg = assertThrows(NetbookException.class, () -> other.importWeights(dir.resolve("custom-netbook.npz"))).getMessage();
            assertTrue(msg.matches(".*custom-netbook\\.npz: tensor 0 \\(0000:.*\\) has shape \\[6, 1, 3, 3\\] but other's parameter .* is \\[5, 1, 3, 3\\]"), msg);
        }
    }
}
