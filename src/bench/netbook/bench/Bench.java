package netbook.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.dsl.Net;
import netbook.internal.djl.Compiler;
import netbook.train.Env;
import netbook.train.Fit;
import netbook.train.Optimizers;
import netbook.train.Progress;
import netbook.train.TrainedModel;
import netbook.zoo.ResNet;
import netbook.zoo.Zoo;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./netbook bench [--full]}: Netbook's benchmarks in one table (benchmark, Netbook figure,
 * peer figure, ratio, target, pass). Runs are interleaved A B A B and medians compared, since the
 * machine is shared. Quick settings use ResNet-18 at widths 16-128 and few steps; --full uses the
 * performance issue's form (stages 64/128/256/512, batch 128). Both sides use the same threads.
 */
public final class Bench {
    private Bench() {}

    private static final StringColumn NAME = StringColumn.create("benchmark");
    private static final DoubleColumn OURS = DoubleColumn.create("netbook");
    private static final DoubleColumn PEER = DoubleColumn.create("peer");
    private static final DoubleColumn RATIO = DoubleColumn.create("ratio");
    private static final StringColumn TARGET = StringColumn.create("target");
    private static final StringColumn PASS = StringColumn.create("pass");

    public static void main(String[] args) throws IOException {
        List<String> a = Arrays.asList(args);
        boolean full = a.contains("--full");
        int[] widths = full ? new int[] {64, 128, 256, 512} : new int[] {16, 32, 64, 128};
        int batch = full ? 128 : 64;
        int steps = full ? 6 : 8;
        int rounds = 5;
        int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "2"));
        Path root = Path.of(System.getProperty("netbook.root", "."));
        System.err.println("netbook bench" + (full ? " --full" : "") + " on " + Env.describe(Env.devices())
                + ", " + threads + " intra-op threads, " + cpuModel());

        Net net = ResNet.of(18).input(1, 28, 28).smallInput().widths(widths).classes(10).build();
        long macs = net.summary().macs();
        ArrayDataset data = FashionMnist.train().head(batch * steps);
        String w = Arrays.toString(widths);

        // 1. DSL-built model vs the same model hand-written in plain DJL.
        List<Double> dsl = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        List<Double> torch = new ArrayList<>();
        double peakNetbook;
        double peakTorch = Double.NaN;
        double torchRss = Double.NaN;
        try (Throughput.Side ours = new Throughput.Side(Compiler.compile(net), batch);
             Throughput.Side hand = new Throughput.Side(PlainDjlResNet.build(widths, 10), batch);
             TorchPeer peer = TorchPeer.start(root, batch, widths, FashionMnist.DEFAULT_DIR, threads)) {
            if (ours.params() != hand.params() || peer != null && peer.params != ours.params()) {
                throw new IllegalStateException("the three models differ: " + ours.params() + " / " + hand.params()
                        + " / " + (peer == null ? "-" : peer.params) + " params");
            }
            ours.steps(data, 2);
            hand.steps(data, 2);
            if (peer != null) peer.ask("train 2", "ips");
            for (int r = 0; r < rounds; r++) {
                dsl.add(ours.steps(data, steps));
                plain.add(hand.steps(data, steps));
                if (peer != null) torch.add(peer.ask("train " + steps, "ips"));
                System.err.printf(Locale.ROOT, "  round %d/%d: netbook %.1f, plain DJL %.1f, PyTorch %s img/s%n", r + 1, rounds,
                        dsl.get(r), plain.get(r), peer == null ? "-" : String.format(Locale.ROOT, "%.1f", torch.get(r)));
            }
            peakNetbook = matmulGflops();
            if (peer != null) {
                peakTorch = peer.ask("peak", "gflops");
                torchRss = peer.ask("rss", "peak_mib");
            }
        }
        double ips = Throughput.median(dsl);
        row("train img/s ResNet-18 " + w + " b" + batch + ": DSL vs plain DJL", ips, Throughput.median(plain), ">= 0.98", 0.98);
        if (!torch.isEmpty()) {
            row("train img/s ResNet-18 " + w + " b" + batch + ": Netbook vs PyTorch eager", ips, Throughput.median(torch), ">= 1.0", 1.0);
        }
        // Training FLOPs = 3 x forward (forward + two backward matmuls), 2 FLOPs per multiply-accumulate.
        double mfu = ips * 3 * 2 * macs / 1e9 / peakNetbook;
        row("training MFU (fraction of 2048^2 matmul peak " + String.format(Locale.ROOT, "%.0f", peakNetbook) + " GFLOP/s)",
                mfu, torch.isEmpty() ? Double.NaN : Throughput.median(torch) * 6 * macs / 1e9 / peakTorch, ">= 0.78", 0.78, true);

        // 2. Memory: resident set after epoch 1 and epoch 5 of one run (no NDArray leaks).
        double[] rss = rssAcrossEpochs(net, FashionMnist.train().head(full ? 4096 : 1024), batch);
        row("RSS MiB after epoch 5 vs epoch 1", rss[1], rss[0], "<= 1.05", 1.05, false);
        row("peak RSS MiB: Netbook vs PyTorch", peakRssMib(), torchRss, "report", Double.NaN, false);

        // 3. The zoo without weights.
        long t0 = System.nanoTime();
        Zoo.table();
        double zooSecs = (System.nanoTime() - t0) / 1e9;
        row("zoo table, every model, seconds (no weights)", zooSecs, Double.NaN, "< 5", Double.NaN, false);
        PASS.set(PASS.size() - 1, zooSecs < 5 ? "pass" : "FAIL");

        Table t = Table.create("netbook bench", NAME, OURS, PEER, RATIO, TARGET, PASS);
        System.out.println(t.printAll());
        System.out.println(String.format(Locale.ROOT, "%s, %d cpus, %s, threads %d", cpuModel(),
                Runtime.getRuntime().availableProcessors(), Env.describe(Env.devices()), threads));
    }

    private static void row(String name, double ours, double peer, String target, double min) {
        row(name, ours, peer, target, min, true);
    }

    /** A row; {@code higherIsBetter} picks whether ratio = ours / peer must reach or stay under {@code min}. */
    private static void row(String name, double ours, double peer, String target, double min, boolean higherIsBetter) {
        double ratio = Double.isNaN(peer) ? Double.NaN : ours / peer;
        NAME.append(name);
        OURS.append(round(ours));
        PEER.append(round(peer));
        RATIO.append(round(ratio));
        TARGET.append(target);
        String pass;
        if (Double.isNaN(min)) {
            pass = "-";
        } else if (name.startsWith("training MFU")) {
            pass = ours >= min ? "pass" : "FAIL";
        } else if (Double.isNaN(ratio)) {
            pass = "no peer";
        } else {
            pass = (higherIsBetter ? ratio >= min : ratio <= min) ? "pass" : "FAIL";
        }
        PASS.append(pass);
    }

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0;
    }

    private static double matmulGflops() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2048, 2048));
            NDArray y = m.randomNormal(new Shape(2048, 2048));
            x.matMul(y).close();
            long t0 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                x.matMul(y).close();
            }
            return 10 * 2.0 * Math.pow(2048, 3) / ((System.nanoTime() - t0) / 1e9) / 1e9;
        }
    }

    private static double[] rssAcrossEpochs(Net net, ArrayDataset data, int batch) {
        double[] rss = new double[2];
        Progress probe = new Progress() {
            @Override
            public void epoch(int epoch, java.util.Map<String, Object> metrics) {
                if (epoch == 1) rss[0] = statusMib("VmRSS");
                if (epoch == 5) rss[1] = statusMib("VmRSS");
            }
        };
        try (TrainedModel m = Fit.of(net, data).epochs(5).batchSize(batch).optimizer(Optimizers.sgd(0.01).momentum(0.9))
                .progress(probe).run()) {
            return rss;
        }
    }

    private static double peakRssMib() {
        return statusMib("VmHWM");
    }

    private static double statusMib(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
