package netbook.bench;

import static netbook.dsl.Layers.*;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import netbook.data.ArrayDataset;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import netbook.env.Env;
import netbook.train.Fit;
import netbook.train.Optimizers;
import netbook.train.TrainedModel;
import netbook.zoo.Zoo;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./netbook gpu-check}: what Netbook does on the first GPU the engine reports, against the
 * CPU in the same process. No test of the suite can run this path (CI has no GPU), so it is a
 * program to run on a GPU machine, and its table is the evidence.
 *
 * <ol>
 *   <li>a small CNN trains from one weights file on the GPU and on the CPU: the first epoch's loss
 *       must agree (the same weights, batches and dropout-free arithmetic; the GPU's convolutions
 *       may use TF32, so 1% is allowed), the losses stay finite and both learn;</li>
 *   <li>the same GPU run again: how far a second run's losses are from the first's (the CPU's are
 *       equal to the bit at one thread count; a GPU's reductions need not be);</li>
 *   <li>a model saved on the GPU loads and predicts the same outputs;</li>
 *   <li>every zoo model (the small forms, and a few full-size ones) predicts finite outputs of the
 *       right shape on the GPU;</li>
 *   <li>ResNet-18 (small form) training speed on the GPU and on the CPU, and full-size ResNet-18's
 *       on the GPU against PyTorch eager's on the same GPU ({@code src/bench/python/gpu_peer.py}).</li>
 * </ol>
 * Exit status 0 when every check passes, 1 when one fails, 2 when the engine reports no GPU (with
 * {@code --cpu} the CPU stands in for the GPU, so that the program itself is tested on machines
 * without one; on a machine with a GPU, loading and the zoo's forward passes still use the GPU,
 * the engine's first device).
 */
public final class GpuCheck {
    private GpuCheck() {}

    /** Classes of the synthetic images: a bright square at one of ten places, in noise. */
    static final int CLASSES = 10;

    /** One line of the check table. */
    record Check(String name, String device, String value, String expected, boolean passed) {}

    public static void main(String[] args) throws IOException {
        boolean cpu = false;
        boolean quick = false;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cpu" -> cpu = true;
                case "--quick" -> quick = true;
                case "--out" -> {
                    if (i + 1 >= args.length) usage("option --out needs a folder");
                    out = Path.of(args[++i]);
                }
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown option " + args[i]);
            }
        }
        Device target;
        if (cpu) {
            target = Device.cpu();
        } else {
            int gpus = Engine.getInstance().getGpuCount();
            if (gpus == 0) {
                System.err.println("netbook gpu-check: the engine reports no GPU (" + Engine.getInstance().getEngineName() + " "
                        + Engine.getInstance().getVersion() + ", devices " + Env.describe(Env.devices())
                        + "); build with NETBOOK_CUDA=1 on a machine with an NVIDIA GPU, or give --cpu to check the program itself");
                System.exit(2);
                return;
            }
            target = Device.gpu(0);
        }
        Path scratch = Files.createTempDirectory("netbook-gpu-check");
        Table t;
        try {
            t = run(target, quick, scratch);
        } finally {
            try (var files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        System.out.println(t.printAll());
        if (out != null) {
            try {
                Files.createDirectories(out);
                Path tmp = out.resolve("gpu-check.csv.tmp");
                t.write().csv(tmp.toFile());
                Files.move(tmp, out.resolve("gpu-check.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                usage("option --out " + out + ": cannot write gpu-check.csv there (" + e + ")");
            }
        }
        System.exit(t.booleanColumn("passed").asList().stream().allMatch(Boolean::booleanValue) ? 0 : 1);
    }

    static final String USAGE = "usage: ./netbook gpu-check [--quick] [--cpu] [--out DIR]";

    private static void usage(String why) {
        System.err.println("gpu-check: " + why + "\n" + USAGE);
        System.exit(2);
    }

    /** The checks on {@code target} (a GPU, or the CPU standing in for one), each a row. */
    static Table run(Device target, boolean quick, Path scratch) throws IOException {
        List<Check> checks = new ArrayList<>();
        // The host allocator is in the title: it shapes host-side memory work, which was slow under glibc
        // malloc before Fit reused its batch memory (RESULTS.md), and the H200 run had no jemalloc.
        String env = Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion() + ", devices " + Env.describe(Env.devices())
                + ", CPU " + Env.cpuModel() + ", " + Env.allocator();
        System.err.println("gpu-check on " + target + ": " + env);
        ArrayDataset train = squares(quick ? 1024 : 8192, 1);
        ArrayDataset test = squares(quick ? 256 : 2048, 2);
        Net net = Net.input(1, 28, 28).named("small-cnn").add(
                conv(32, 3).padding(1), batchNorm(), relu(), maxPool(2),
                conv(64, 3).padding(1), batchNorm(), relu(), maxPool(2),
                flatten(), linear(CLASSES));
        // One weights file for both devices: each device's random generator would start them apart.
        Path weights = scratch.resolve("small-cnn-initial.npz");
        try (TrainedModel init = TrainedModel.untrained(net, 42)) {
            init.exportWeights(weights);
        }
        int epochs = quick ? 2 : 3;
        double[] onTarget;
        double[] again;
        double[] onCpu;
        double accTarget;
        double accCpu;
        float[][] predicted;
        Path saved = scratch.resolve("small-cnn.netbook");
        try (TrainedModel m = fit(net, train, test, weights, epochs, target)) {
            onTarget = losses(m);
            accTarget = last(m, "val_accuracy");
            predicted = m.predict(test);
            m.save(saved);
        }
        try (TrainedModel m = fit(net, train, test, weights, epochs, target)) {
            again = losses(m);
        }
        try (TrainedModel m = fit(net, train, test, weights, epochs, Device.cpu())) {
            onCpu = losses(m);
            accCpu = last(m, "val_accuracy");
        }
        boolean finite = java.util.Arrays.stream(onTarget).allMatch(Double::isFinite);
        checks.add(new Check("training losses finite", target.toString(), fmt(onTarget), "every epoch finite", finite));
        checks.add(new Check("learns the synthetic classes", target.toString(),
                String.format(Locale.ROOT, "val_accuracy %.4f (CPU %.4f)", accTarget, accCpu), "at least 0.9", accTarget >= 0.9));
        double first = Math.abs(onTarget[0] - onCpu[0]) / Math.abs(onCpu[0]);
        checks.add(new Check("first epoch's loss against the CPU's, same weights and batches", target + " vs cpu()",
                String.format(Locale.ROOT, "%s vs %s: relative difference %.2e", fmt(onTarget), fmt(onCpu), first), "at most 1e-2", first <= 1e-2));
        double repeat = maxRelative(onTarget, again);
        checks.add(new Check("second run, same seed and weights", target.toString(),
                repeat == 0 ? "equal to the bit" : String.format(Locale.ROOT, "largest relative difference %.2e", repeat), "at most 1e-4", repeat <= 1e-4));
        try (TrainedModel loaded = TrainedModel.load(saved)) {
            float[][] back = loaded.predict(test);
            double d = 0;
            for (int i = 0; i < back.length; i++) {
                for (int j = 0; j < back[i].length; j++) d = Math.max(d, Math.abs(back[i][j] - predicted[i][j]));
            }
            checks.add(new Check("saved, loaded, predicts the same", loaded.djlModel().getNDManager().getDevice().toString(),
                    String.format(Locale.ROOT, "largest output difference %.2e", d), "at most 1e-5", d <= 1e-5));
        }
        List<String> models = new ArrayList<>(Zoo.names().stream().filter(n -> n.endsWith("-small")).toList());
        if (!quick) models.addAll(List.of("resnet50", "inception-v4", "googlenet-aux", "vgg16-bn"));
        for (String name : models) checks.add(forward(name, target));
        if (!quick) {
            Net resnet = Zoo.get("resnet18-small");
            ArrayDataset images = squares(4096, 3);
            double gpuRate = rate(resnet, images, target);
            double cpuRate = rate(resnet, images, Device.cpu());
            checks.add(new Check("resnet18-small training speed, batch 128", target + " vs cpu()",
                    String.format(Locale.ROOT, "%.0f vs %.0f examples/s (%.1fx)", gpuRate, cpuRate, gpuRate / cpuRate), "reported", true));
            // PyTorch's peer runs on CUDA; with the CPU standing in there is nothing to compare.
            if (target.isGpu()) {
                try {
                    checks.add(againstPyTorch(Zoo.get("resnet18"), target, scratch));
                } catch (RuntimeException e) {
                    checks.add(new Check("resnet18 training speed against PyTorch eager on the same GPU", target.toString(),
                            "failed: " + e, "reported", false));
                }
            }
        }
        return table(checks, target, env);
    }

    /** Batch of the speed row against PyTorch: full-size ResNet-18 (224x224, 1,000 classes). */
    static final int PEER_BATCH = 64;

    /**
     * Full-size ResNet-18 trained by Netbook on the GPU (the second of two epochs of 12 batches) and
     * by PyTorch eager on the same GPU ({@code src/bench/python/gpu_peer.py}: the same spec, Adam,
     * inputs copied from host memory every step), both on seeded random images. The peer is the
     * python3 on the PATH, or NETBOOK_GPU_PEER; without torch or CUDA there the row says so.
     */
    private static Check againstPyTorch(Net net, Device target, Path scratch) throws IOException {
        String row = net.name() + " training speed (224x224, 1,000 classes, batch " + PEER_BATCH + ") against PyTorch eager on the same GPU";
        ArrayDataset images = Bench.randomImages(net.inputShape(), 12 * PEER_BATCH, (int) net.outputShape().size());
        double ours;
        try (TrainedModel m = Fit.of(net, images)
                .optimizer(Optimizers.adam(1e-3)).epochs(2).batchSize(PEER_BATCH).seed(42).devices(target).run()) {
            ours = last(m, "examples_per_s");
        }
        Path spec = scratch.resolve(net.name() + ".json");
        Files.writeString(spec, netbook.dsl.SpecJson.write(net));
        Path script = Path.of(System.getProperty("netbook.root", "."), "src/bench/python/gpu_peer.py");
        String python = System.getenv().getOrDefault("NETBOOK_GPU_PEER", "python3");
        Path log = scratch.resolve("gpu-peer.log");
        String peer;
        try {
            Process p = new ProcessBuilder(python, script.toString(), spec.toString(), String.valueOf(PEER_BATCH), "36")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                peer = "no answer within 300 s";
            } else {
                String out = Files.readString(log).strip();
                String last = out.isEmpty() ? "" : out.lines().reduce((a, b) -> b).orElse("");
                peer = p.exitValue() == 0 && last.startsWith("ips ") ? last.substring(4) : "failed (exit " + p.exitValue() + "): " + last;
            }
        } catch (IOException e) {
            peer = "not started: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            peer = "interrupted";
        }
        String value;
        try {
            double theirs = Double.parseDouble(peer);
            value = String.format(Locale.ROOT, "%.0f vs %.0f examples/s (Netbook at %.2fx PyTorch's)", ours, theirs, ours / theirs);
        } catch (NumberFormatException e) {
            value = String.format(Locale.ROOT, "%.0f examples/s; PyTorch peer (%s %s): %s", ours, python, script, peer);
        }
        return new Check(row, target.toString(), value, "reported", true);
    }

    private static Table table(List<Check> checks, Device target, String env) {
        StringColumn name = StringColumn.create("check");
        StringColumn device = StringColumn.create("device");
        StringColumn value = StringColumn.create("value");
        StringColumn expected = StringColumn.create("expected");
        BooleanColumn passed = BooleanColumn.create("passed");
        for (Check c : checks) {
            name.append(c.name());
            device.append(c.device());
            value.append(c.value());
            expected.append(c.expected());
            passed.append(c.passed());
        }
        return Table.create("gpu-check on " + target + " (" + env + ")", name, device, value, expected, passed);
    }

    private static TrainedModel fit(Net net, ArrayDataset train, ArrayDataset test, Path weights, int epochs, Device device) {
        return Fit.of(net, train).validation(test).initialWeights(weights).optimizer(Optimizers.adam(1e-3))
                .epochs(epochs).batchSize(128).seed(42).devices(device).run();
    }

    /** One batch of 4 through a freshly initialised zoo model: finite outputs of the right shape. */
    private static Check forward(String model, Device target) {
        Net net = Zoo.get(model);
        ArrayDataset batch = Bench.randomImages(net.inputShape(), 4, (int) net.outputShape().size());
        try (TrainedModel m = TrainedModel.untrained(net, 7)) {
            float[][] y = m.predict(batch);
            long width = net.outputShape().size();
            boolean ok = y.length == 4 && java.util.Arrays.stream(y).allMatch(row -> row.length == width
                    && java.util.stream.IntStream.range(0, row.length).allMatch(j -> Float.isFinite(row[j])));
            return new Check("forward " + model, m.djlModel().getNDManager().getDevice().toString(),
                    y.length + " x " + (y.length > 0 ? y[0].length : 0) + " outputs", "4 x " + width + ", finite", ok);
        } catch (RuntimeException e) {
            return new Check("forward " + model, target.toString(), "failed: " + e.getMessage(), "4 outputs", false);
        }
    }

    /** Examples a second in the second of two epochs (the first includes the kernels' warm-up). */
    private static double rate(Net net, ArrayDataset data, Device device) {
        try (TrainedModel m = Fit.of(net, data).optimizer(Optimizers.adam(1e-3)).epochs(2).batchSize(128).seed(42).devices(device).run()) {
            return last(m, "examples_per_s");
        }
    }

    /**
     * {@code n} images of 28x28: class c is a 6x6 square of brightness 1 at one of ten places, in
     * Gaussian noise of standard deviation 0.3; a seeded draw, the same on every machine.
     */
    static ArrayDataset squares(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 28 * 28];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(CLASSES);
            y[i] = c;
            int top = 2 + (c / 5) * 12 + r.nextInt(3);
            int left = 1 + (c % 5) * 5 + r.nextInt(2);
            for (int p = 0; p < 28 * 28; p++) x[i * 784 + p] = (float) (0.3 * r.nextGaussian());
            for (int dy = 0; dy < 6; dy++) {
                for (int dx = 0; dx < 6 && left + dx < 28; dx++) x[i * 784 + (top + dy) * 28 + left + dx] += 1f;
            }
        }
        return new ArrayDataset("squares (seed " + seed + ")", x, Shape.of(1, 28, 28), y, CLASSES, null);
    }

    private static double[] losses(TrainedModel m) {
        return m.metrics().doubleColumn("train_loss").asDoubleArray();
    }

    private static double last(TrainedModel m, String column) {
        var c = m.metrics().doubleColumn(column);
        return c.get(c.size() - 1);
    }

    static double maxRelative(double[] a, double[] b) {
        if (a.length != b.length) throw new NetbookException("gpu-check: runs of " + a.length + " and " + b.length + " epochs");
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, a[i] == b[i] ? 0 : Math.abs(a[i] - b[i]) / Math.abs(b[i]));
        return d;
    }

    private static String fmt(double[] v) {
        StringBuilder s = new StringBuilder();
        for (double d : v) s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.5f", d));
        return s.toString();
    }
}
