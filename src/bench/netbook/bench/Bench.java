package netbook.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import static netbook.vq.Vq.coder;
import static netbook.vq.Vq.decoder;
import static netbook.vq.Vq.encoder;
import static netbook.vq.Vq.vectorQuantize;
import static netbook.vq.Vq.vqVae;

import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.dsl.Net;
import ai.djl.training.loss.Loss;
import netbook.bench.Throughput.Update;
import netbook.internal.djl.Compiler;
import netbook.internal.djl.ConvGuard;
import netbook.kernel.CellCost;
import netbook.vq.VqVaeModel;
import netbook.zoo.GoogLeNet;
import netbook.loss.Losses;
import netbook.env.Env;
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
 * peer figure, ratio, 95% interval, target, pass). Throughput is measured in paired rounds (the
 * order reversed every other round, since the machine is shared) and judged by the interval of the
 * paired ratio ({@link PairedRatio}); {@code --rounds N} sets their number, {@code --only SECTION}
 * runs one section (resnet, googlenet, vq-vae, memory, kernel, zoo, conv-guard, image-folder, overhead, host-batch), {@code --profile}
 * prints an op-level comparison instead ({@link OpProfile}). The PyTorch peer builds the same network from the spec tree
 * ({@code src/bench/python/spec_torch.py}). Quick settings use ResNet-18 at widths 16-128 and few
 * steps; --full uses the performance issue's form (stages 64/128/256/512, batch 128). Both sides
 * use the same threads. Rows: ResNet-18 against plain DJL, stock DJL and PyTorch with a
 * forward/backward/update split, MFU, a GoogLeNet Inception stack, a VQ-VAE step, memory, the
 * kernel's per-cell cost in-process, the zoo, the per-step overhead (ResNet-18 at width 4 and
 * batch 4, where a step is the host's work) and the host's batch path (224x224 batches through a
 * network that costs almost nothing).
 */
public final class Bench {
    private Bench() {}

    private static final StringColumn NAME = StringColumn.create("benchmark");
    private static final DoubleColumn OURS = DoubleColumn.create("netbook");
    private static final DoubleColumn PEER = DoubleColumn.create("peer");
    private static final DoubleColumn RATIO = DoubleColumn.create("ratio");
    private static final StringColumn INTERVAL = StringColumn.create("95% interval");
    private static final StringColumn TARGET = StringColumn.create("target");
    private static final StringColumn PASS = StringColumn.create("pass");

    /** The sections {@code --only} accepts, in the table's order. */
    static final List<String> SECTIONS = List.of("resnet", "googlenet", "vq-vae", "memory", "kernel", "zoo", "conv-guard",
            "image-folder", "overhead", "host-batch");

    static final String USAGE = "usage: ./netbook bench [--full] [--rounds N] [--only SECTION] [--profile]\n"
            + "  --full        full widths (ResNet-18 [64, 128, 256, 512], batch 128)\n"
            + "  --rounds N    paired rounds per throughput row, at least 2 (default 5)\n"
            + "  --only S      one section: " + String.join(", ", SECTIONS) + "\n"
            + "  --profile     where a ResNet-18 step goes, op by op, against PyTorch (no table)";

    /** What the command line asks for; {@code help} when it asks for the usage only. */
    record Options(boolean full, int rounds, String only, boolean profile, boolean help) {
        /**
         * Reads the command line, refusing what it does not know with the option's name, so that
         * a typo is an error rather than a full bench run of minutes.
         */
        static Options parse(List<String> args) {
            boolean full = false;
            boolean profile = false;
            int rounds = 5;
            String only = null;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--full" -> full = true;
                    case "--profile" -> profile = true;
                    case "-h", "--help" -> {
                        return new Options(full, rounds, only, profile, true);
                    }
                    case "--rounds" -> {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException("--rounds needs a number");
                        }
                        String n = args.get(++i);
                        try {
                            rounds = Integer.parseInt(n);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--rounds needs a number, got '" + n + "'");
                        }
                        if (rounds < 2) {
                            throw new IllegalArgumentException("--rounds must be at least 2 (an interval needs two pairs), got " + rounds);
                        }
                    }
                    case "--only" -> {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException("--only needs a section: " + String.join(", ", SECTIONS));
                        }
                        only = args.get(++i);
                        if (!SECTIONS.contains(only)) {
                            throw new IllegalArgumentException("--only " + only + ": no such section; the sections are "
                                    + String.join(", ", SECTIONS));
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            return new Options(full, rounds, only, profile, false);
        }
    }

    public static void main(String[] args) throws Exception {
        Options opts;
        try {
            opts = Options.parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println("netbook bench: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        if (opts.help()) {
            System.out.println(USAGE);
            return;
        }
        boolean full = opts.full();
        int[] widths = full ? new int[] {64, 128, 256, 512} : new int[] {16, 32, 64, 128};
        int batch = full ? 128 : 64;
        int steps = full ? 6 : 8;
        int rounds = opts.rounds();
        only = opts.only();
        if (opts.profile()) {
            OpProfile.compare(Path.of(System.getProperty("netbook.root", ".")), widths, batch);
            return;
        }
        int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "2"));
        Path root = Path.of(System.getProperty("netbook.root", "."));
        System.err.println("netbook bench" + (full ? " --full" : "") + " on " + Env.describe(Env.devices())
                + ", " + threads + " intra-op threads, " + Env.cpuModel() + ", " + Env.allocator());
        ArrayDataset data = FashionMnist.train().head(batch * steps);
        double[] peak = {matmulGflops()};
        double[] torchRss = {Double.NaN}; // the PyTorch peer's peak, measured with the ResNet-18 rows
        int pairs = rounds;
        Net net = ResNet.of(18).input(1, 28, 28).compactStem(true).widths(widths).classes(10).build();
        Shape image = new Shape(1, 28, 28);
        String w = "ResNet-18 " + Arrays.toString(widths) + " b" + batch;

        // 1. ResNet-18: the DSL-built model (Netbook's update), the same network hand-written in plain
        //    DJL (same update: isolates the DSL), the DSL model with DJL's stock Trainer.step(), PyTorch.
        section("resnet", w + " throughput", () -> {
        long macs = net.summary().macs();
        List<Double> dsl = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        List<Double> stock = new ArrayList<>();
        List<Double> torch = new ArrayList<>();
        List<Double> torchJe = new ArrayList<>();
        // The peer runs as Debian ships PyTorch (glibc malloc); a second one with Netbook's allocator
        // separates what jemalloc buys from what the runtime does.
        boolean jemalloc = Env.allocator().startsWith("jemalloc");
        double[] oursSplit;
        double[] stockSplit;
        double[] torchSplit = null;
        double peakTorch = Double.NaN;
        try (Throughput.Side ours = new Throughput.Side(Compiler.compile(net), image, Losses.crossEntropy(), batch, Update.NETBOOK);
             Throughput.Side hand = new Throughput.Side(PlainDjlResNet.build(widths, 10), image, Losses.crossEntropy(), batch, Update.NETBOOK);
             Throughput.Side djl = new Throughput.Side(Compiler.compile(net), image, Losses.crossEntropy(), batch, Update.DJL);
             TorchPeer peer = TorchPeer.start(root, batch, net, FashionMnist.DEFAULT_DIR, threads, false);
             TorchPeer peerJe = jemalloc ? TorchPeer.start(root, batch, net, FashionMnist.DEFAULT_DIR, threads, true) : null) {
            if (ours.params() != hand.params() || peer != null && peer.params != ours.params()) {
                throw new IllegalStateException("the three models differ: " + ours.params() + " / " + hand.params()
                        + " / " + (peer == null ? "-" : peer.params) + " params");
            }
            ours.steps(data, 2);
            hand.steps(data, 2);
            djl.steps(data, 2);
            if (peer != null) peer.ask("train 2", "ips");
            if (peerJe != null) peerJe.ask("train 2", "ips");
            List<Runnable> sides = new ArrayList<>();
            sides.add(() -> dsl.add(ours.steps(data, steps)));
            sides.add(() -> plain.add(hand.steps(data, steps)));
            sides.add(() -> stock.add(djl.steps(data, steps)));
            if (peer != null) sides.add(() -> torch.add(peer.askUnchecked("train " + steps, "ips")));
            if (peerJe != null) sides.add(() -> torchJe.add(peerJe.askUnchecked("train " + steps, "ips")));
            for (int r = 0; r < pairs; r++) {
                // A B C ... then ... C B A: no side always runs first or last in a round.
                List<Runnable> order = new ArrayList<>(sides);
                if (r % 2 == 1) Collections.reverse(order);
                order.forEach(Runnable::run);
                System.err.printf(Locale.ROOT, "  %s round %d/%d: netbook %.1f, plain DJL %.1f, stock DJL step %.1f, PyTorch %s, PyTorch+jemalloc %s img/s%n",
                        w, r + 1, pairs, dsl.get(r), plain.get(r), stock.get(r), peer == null ? "-" : String.format(Locale.ROOT, "%.1f", torch.get(r)),
                        peerJe == null ? "-" : String.format(Locale.ROOT, "%.1f", torchJe.get(r)));
            }
            ours.steps(data, 4 * steps);
            oursSplit = split(ours);
            djl.steps(data, 4 * steps);
            stockSplit = split(djl);
            if (peer != null) {
                torchSplit = peer.split(4 * steps);
                peakTorch = peer.ask("peak", "gflops");
                torchRss[0] = peer.ask("rss", "peak_mib");
            }
        }
        double ips = Throughput.median(dsl);
        paired("train img/s " + w + ": DSL vs plain DJL", dsl, plain, ">= 0.98", 0.98);
        paired("train img/s " + w + ": Netbook vs PyTorch eager", dsl, torch, ">= 1.0", 1.0);
        paired("train img/s " + w + ": Netbook vs PyTorch eager on jemalloc too", dsl, torchJe, "report", Double.NaN);
        paired("train img/s " + w + ": Netbook vs stock DJL Trainer.step", dsl, stock, "report", Double.NaN);
        String[] parts = {"forward+loss", "backward", "optimizer step"};
        for (int k = 0; k < 3; k++) {
            row("  s/step " + parts[k] + ": Netbook vs PyTorch", oursSplit[k], torchSplit == null ? Double.NaN : torchSplit[k],
                    "<= 1.0", 1.0, false);
        }
        row("  s/step optimizer step: Netbook vs stock DJL", oursSplit[2], stockSplit[2], "<= 1.0", 1.0, false);
        // Training FLOPs = 3 x forward (forward + two backward matmuls), 2 FLOPs per multiply-accumulate.
        // One peak for both sides, the best 2048^2 matmul either process measured in this run: a
        // single reading on a shared machine can come out low and inflate one side's MFU.
        peak[0] = Math.max(Math.max(peak[0], matmulGflops()), Double.isNaN(peakTorch) ? 0 : peakTorch);
        row("training MFU " + w + " (of 2048^2 matmul peak " + String.format(Locale.ROOT, "%.0f", peak[0]) + " GFLOP/s)",
                ips * 6 * macs / 1e9 / peak[0], median(torch) * 6 * macs / 1e9 / peak[0], ">= 0.78", 0.78, true);
        });

        // 2. An Inception stack (GoogLeNet, small widths, both auxiliary heads): many small convs and concats.
        section("googlenet", "GoogLeNet-small throughput", () -> {
        Net inception = GoogLeNet.of().small().aux(true).classes(10).build();
        List<Double> inc = new ArrayList<>();
        List<Double> incTorch = new ArrayList<>();
        Loss incLoss = Losses.withAuxiliary(Losses.crossEntropy(), Compiler.auxiliaryWeights(Compiler.compile(inception)));
        try (Throughput.Side ours = new Throughput.Side(Compiler.compile(inception), image, incLoss, batch, Update.NETBOOK);
             TorchPeer peer = TorchPeer.start(root, batch, inception, FashionMnist.DEFAULT_DIR, threads, false)) {
            if (peer != null && peer.params != ours.params()) {
                throw new IllegalStateException("GoogLeNet differs: " + ours.params() + " / " + peer.params + " params");
            }
            ours.steps(data, 2);
            if (peer != null) peer.ask("train 2", "ips");
            for (int r = 0; r < pairs; r++) {
                if (r % 2 == 0) inc.add(ours.steps(data, steps));
                if (peer != null) incTorch.add(peer.ask("train " + steps, "ips"));
                if (r % 2 == 1) inc.add(ours.steps(data, steps));
            }
        }
        long incMacs = inception.summary().macs();
        paired("train img/s " + inception.name() + " b" + batch + ": Netbook vs PyTorch eager", inc, incTorch, ">= 1.0", 1.0);
        row("training MFU " + inception.name() + " (forward MACs of the main path and aux heads)",
                median(inc) * 6 * incMacs / 1e9 / peak[0], median(incTorch) * 6 * incMacs / 1e9 / peak[0], "report", Double.NaN);
        });

        // 3. A VQ-VAE training step (encoder, quantiser with straight-through, decoder; the vq-vae recipe's quick model).
        section("vq-vae", "VQ-VAE step", () -> {
        Net vq = Net.input(1, 28, 28).named("vq-vae").add(vqVae(encoder(coder().channel(32).resBlocks(1).resChannels(16)), vectorQuantize(64, 16), decoder(1, coder().channel(32).resBlocks(1).resChannels(16))));
        long t0 = System.nanoTime();
        int vqSteps = 10 * steps;
        try (VqVaeModel m = VqVaeModel.train(vq, FashionMnist.train().head(batch * steps), VqVaeModel.settings().steps(vqSteps).batchSize(batch).lr(1e-3).seed(1), Progress.none())) {
            double secs = (System.nanoTime() - t0) / 1e9;
            row("train img/s VQ-VAE (vq-vae recipe quick model) b" + batch, vqSteps * batch / secs, Double.NaN, "report", Double.NaN);
        }

        });

        // 4. Memory: resident set after epoch 1 and epoch 5 of one Fit run (no NDArray leaks).
        section("memory", "memory", () -> {
        double[] rss = rssAcrossEpochs(net, FashionMnist.train().head(full ? 4096 : 1024), batch);
        row("RSS MiB after epoch 5 vs epoch 1", rss[1], rss[0], "<= 1.05", 1.05, false);
        row("peak RSS MiB: Netbook vs PyTorch", peakRssMib(), torchRss[0], "report", Double.NaN, false);

        });

        // 5. Kernel: a trivial cell in Netbook's session against bare in-process JShell (no imports).
        section("kernel", "kernel cells", () -> {
        double[] cell = CellCost.measure();
        row("cell '1 + 1' ms in-process: Netbook session vs bare JShell local", cell[1], cell[0], "report", Double.NaN, false);
        row("  the same after 500 cells", cell[3], cell[2], "report", Double.NaN, false);
        row("cell 'ResNet.of(50).build().summary()' ms in-process, first time", cell[4], Double.NaN, "< 1000", Double.NaN, false);
        PASS.set(PASS.size() - 1, cell[4] < 1000 ? "pass" : "FAIL");

        });

        // 6. The zoo without weights.
        section("zoo", "zoo table", () -> {
        long z0 = System.nanoTime();
        Zoo.table();
        double zooSecs = (System.nanoTime() - z0) / 1e9;
        row("zoo table, every model, seconds (no weights)", zooSecs, Double.NaN, "< 5", Double.NaN, false);
        PASS.set(PASS.size() - 1, zooSecs < 5 ? "pass" : "FAIL");
        });

        // 7. The convolution guard (ConvGuard): what its probe costs at start-up, and what padding
        //    channel tails costs in training, forced off and on in paired rounds on every small zoo model.
        section("conv-guard", "convolution guard", () -> convGuardRows(batch, steps, pairs));

        // 8. Own data: the same training from a PNG folder read batch by batch (prefetched) and from memory.
        section("image-folder", "image folder loader", () -> imageFolderRows(batch, steps, pairs));

        // 9. Per-step overhead: ResNet-18's layers at width 4 and batch 4, where the arithmetic is
        //    tiny and a step is the host's work (Java, JNI and DJL against Python): on a GPU, whose
        //    kernels run while the host queues the next, that work can be the whole step (RESULTS.md).
        section("overhead", "per-step overhead", () -> {
            int tinyBatch = 4;
            int tinySteps = 8 * steps;
            // 300 steps first on each side: with 4, the JVM was still compiling DJL's paths during the
            // rounds, and Netbook measured 0.33 of PyTorch's speed against 0.60 warmed (RESULTS.md).
            int warmupSteps = 300;
            int[] tinyWidths = {4, 4, 4, 4};
            Net tiny = ResNet.of(18).input(1, 28, 28).compactStem(true).widths(tinyWidths).classes(10).build();
            ArrayDataset few = FashionMnist.train().head(tinyBatch * tinySteps);
            String name = "ResNet-18 " + Arrays.toString(tinyWidths) + " b" + tinyBatch;
            List<Double> ours = new ArrayList<>();
            List<Double> torch = new ArrayList<>();
            double[] oursSplit;
            double[] torchSplit = null;
            try (Throughput.Side side = new Throughput.Side(Compiler.compile(tiny), image, Losses.crossEntropy(), tinyBatch, Update.NETBOOK);
                 TorchPeer peer = TorchPeer.start(root, tinyBatch, tiny, FashionMnist.DEFAULT_DIR, threads, false)) {
                side.steps(few, warmupSteps);
                if (peer != null) peer.ask("train " + warmupSteps, "ips");
                for (int r = 0; r < pairs; r++) {
                    boolean oursFirst = r % 2 == 0;
                    if (oursFirst) ours.add(side.steps(few, tinySteps));
                    if (peer != null) torch.add(peer.ask("train " + tinySteps, "ips"));
                    if (!oursFirst) ours.add(side.steps(few, tinySteps));
                    System.err.printf(Locale.ROOT, "  %s round %d/%d: netbook %.1f, PyTorch %s img/s%n", name, r + 1, pairs, ours.get(r),
                            peer == null ? "-" : String.format(Locale.ROOT, "%.1f", torch.get(r)));
                }
                // Where a step's time goes: the median of each part over the steps of one more turn each
                // (turns back to back, where the rounds alternate with the other process).
                side.steps(few, tinySteps);
                oursSplit = split(side);
                if (peer != null) torchSplit = peer.split(tinySteps);
            }
            paired("train img/s " + name + " (a step is host work): Netbook vs PyTorch eager", ours, torch, "report", Double.NaN);
            row("  ms a step " + name + ": Netbook vs PyTorch eager", 1000.0 * tinyBatch / median(ours),
                    torch.isEmpty() ? Double.NaN : 1000.0 * tinyBatch / median(torch), "report", Double.NaN, false);
            String[] parts = {"forward+loss", "backward", "update"};
            for (int k = 0; k < 3; k++) {
                row("  ms " + parts[k] + " " + name + ": Netbook vs PyTorch", 1000 * oursSplit[k],
                        torchSplit == null ? Double.NaN : 1000 * torchSplit[k], "report", Double.NaN, false);
            }
        });

        // 10. The host's batch path: 64 images of 3x224x224 (38 MB) a batch through a network that
        //     costs almost nothing, so a step is making the batch. Fit reuses its batch memory; the
        //     peer makes a fresh DJL array per batch, which touches fresh pages (under glibc malloc
        //     always, under jemalloc until the GC frees old buffers: ~100 ms a batch; RESULTS.md).
        section("host-batch", "host batch path", () -> hostBatchRows(pairs));

        Table t = Table.create("netbook bench", NAME, OURS, PEER, RATIO, INTERVAL, TARGET, PASS);
        System.out.println(t.printAll());
        System.out.println(String.format(Locale.ROOT, "%s, %d cpus, %s, threads %d, %d paired rounds", Env.cpuModel(),
                Runtime.getRuntime().availableProcessors(), Env.describe(Env.devices()), threads, rounds));
        System.out.println("Paired rows: netbook and peer are medians; ratio is the geometric mean of the per-round ratios, "
                + "and a target passes only when its whole 95% interval clears it (\"within noise\" otherwise).");
    }

    /** The section {@code --only} asks for, or null for all. */
    private static String only;

    /** A part of the bench; if it fails, its row says why and the rest of the table still prints. */
    private static void section(String id, String name, ThrowingRunnable body) {
        if (only != null && !only.equals(id)) {
            return;
        }
        try {
            body.run();
        } catch (Exception | Error e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
            System.err.println("netbook bench: " + name + " failed: " + e);
            NAME.append(name + " FAILED: " + (why.length() > 160 ? why.substring(0, 160) + "..." : why));
            OURS.append(Double.NaN);
            PEER.append(Double.NaN);
            RATIO.append(Double.NaN);
            INTERVAL.append("-");
            TARGET.append("-");
            PASS.append("error");
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void convGuardRows(int batch, int steps, int pairs) throws Exception {
        ConvGuard.Decision d = ConvGuard.decision();
        double probeMs = d.probeMillis() >= 0 ? d.probeMillis() : timeProbe();
        row("conv guard start-up probe ms (" + (d.on() ? "guard on" : "guard off") + " here)", probeMs, Double.NaN, "< 200", Double.NaN, false);
        PASS.set(PASS.size() - 1, probeMs < 200 ? "pass" : "FAIL");
        for (Zoo.Model m : Zoo.models()) {
            if (!m.name().endsWith("-small")) continue;
            Net net = m.build().get();
            netbook.dsl.Shape in = net.inputShape();
            Shape image = new Shape(in.dims());
            ArrayDataset random = randomImages(in, batch * steps, 10);
            Loss loss = Losses.withAuxiliary(Losses.crossEntropy(), Compiler.auxiliaryWeights(Compiler.compile(net)));
            List<Double> off = new ArrayList<>();
            List<Double> on = new ArrayList<>();
            try (Throughput.Side side = new Throughput.Side(Compiler.compile(net), image, loss, batch, Update.NETBOOK)) {
                try (AutoCloseable g = ConvGuard.force(true)) {
                    side.steps(random, 1);
                }
                try (AutoCloseable g = ConvGuard.force(false)) {
                    side.steps(random, 1);
                }
                for (int r = 0; r < pairs; r++) {
                    for (boolean guard : r % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                        try (AutoCloseable g = ConvGuard.force(guard)) {
                            (guard ? on : off).add(side.steps(random, Math.max(2, steps / 2)));
                        }
                    }
                }
            }
            paired("train img/s " + m.name() + " b" + batch + ": conv guard on vs off", on, off, ">= 0.95", 0.95);
        }
    }

    /**
     * The host's batch path: {@code Fit} (its batch memory reused) against the plain DJL loop, which
     * makes a fresh array per batch, on 64x3x224x224 batches through a network that costs almost
     * nothing; paired rounds, the allocator named in the row.
     */
    private static void hostBatchRows(int pairs) {
        int batch = 64;
        int steps = 8;
        netbook.dsl.Shape big = netbook.dsl.Shape.of(3, 224, 224);
        ArrayDataset images = randomImages(big, batch * steps, 1000);
        Net nearlyFree = Net.input(3, 224, 224).named("pool-32-linear").add(
                netbook.dsl.Layers.maxPool(32), netbook.dsl.Layers.flatten(), netbook.dsl.Layers.linear(1000));
        List<Double> fit = new ArrayList<>();
        List<Double> fresh = new ArrayList<>();
        try (Throughput.Side side = new Throughput.Side(Compiler.compile(nearlyFree), new Shape(big.dims()), Losses.crossEntropy(), batch, Update.NETBOOK)) {
            side.steps(images, steps);
            for (int r = 0; r < pairs; r++) {
                boolean fitFirst = r % 2 == 0;
                if (!fitFirst) fresh.add(side.steps(images, 2 * steps));
                // Epoch 1 makes the run's batch memory; epochs 2-3 are the steady state.
                try (TrainedModel m = Fit.of(nearlyFree, images).optimizer(Optimizers.adam(1e-3)).epochs(3).batchSize(batch).seed(42)
                        .progress(Progress.none()).run()) {
                    DoubleColumn wall = m.metrics().doubleColumn("wall_s");
                    fit.add(2.0 * images.size() / (wall.get(2) - wall.get(0)));
                }
                if (fitFirst) fresh.add(side.steps(images, 2 * steps));
                System.err.printf(Locale.ROOT, "  host batch round %d/%d: Fit %.1f, fresh DJL array per batch %.1f img/s%n", r + 1, pairs,
                        fit.get(r), fresh.get(r));
            }
        }
        paired("train img/s, 64x3x224x224 batches, near-free network (" + Env.allocator() + "): Fit vs a fresh DJL array per batch",
                fit, fresh, "report", Double.NaN);
    }

    /**
     * ResNet-18 (small form) trained from Fashion-MNIST images written out as PNG files, decoded,
     * augmented and prefetched on a background thread batch by batch, against the same images and
     * augmentation held in memory: paired rounds of one epoch each (target: the loader costs at most 5%).
     */
    private static void imageFolderRows(int batch, int steps, int pairs) throws Exception {
        Net net = Zoo.get("resnet18-small");
        ArrayDataset source = FashionMnist.train().head(batch * steps);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("netbook-bench-png");
        try {
            float[] x = new float[28 * 28];
            for (int i = 0; i < source.size(); i++) {
                source.copyFeatures(i, x, 0);
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                for (int p = 0; p < x.length; p++) img.getRaster().setSample(p % 28, p / 28, 0, Math.round(x[p] * 255));
                java.nio.file.Path f = dir.resolve("class" + source.label(i)).resolve(i + ".png");
                java.nio.file.Files.createDirectories(f.getParent());
                javax.imageio.ImageIO.write(img, "png", f.toFile());
            }
            netbook.data.ImageFolder.Images images = netbook.data.ImageFolder.of(dir).images();
            netbook.data.Dataset streamed = images.streamedFor(net);
            ArrayDataset inMemory = images.resizedFor(net);
            List<Double> fromFolder = new ArrayList<>();
            List<Double> fromMemory = new ArrayList<>();
            for (int r = 0; r <= pairs; r++) {
                for (boolean folder : r % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    try (netbook.train.TrainedModel m = netbook.train.Fit.of(net, folder ? streamed : inMemory).epochs(1).batchSize(batch)
                            .augment(netbook.data.Augment.cropAndFlip(2)).seed(1).progress(Progress.none()).run()) {
                        // Round 0 warms both paths up and is not counted.
                        if (r > 0) (folder ? fromFolder : fromMemory).add(m.metrics().doubleColumn("examples_per_s").get(0));
                    }
                }
            }
            paired("train img/s resnet18-small b" + batch + ": PNG folder (decoded per batch, prefetched) vs in memory, crop+flip",
                    fromFolder, fromMemory, ">= 0.95", 0.95);
        } finally {
            try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double timeProbe() {
        long t0 = System.nanoTime();
        ConvGuard.probe();
        return (System.nanoTime() - t0) / 1e6;
    }

    /** {@code n} seeded Gaussian examples of {@code shape} with random labels of {@code classes} (also gpu-check's). */
    static ArrayDataset randomImages(netbook.dsl.Shape shape, int n, int classes) {
        java.util.Random r = new java.util.Random(1);
        float[] x = new float[(int) (n * shape.size())];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(classes);
        return new ArrayDataset("random " + shape, x, shape, y, classes, null);
    }

    private static double[] split(Throughput.Side side) {
        return new double[] {side.splitMedian(0), side.splitMedian(1), side.splitMedian(2)};
    }

    private static double median(List<Double> v) {
        return v.isEmpty() ? Double.NaN : Throughput.median(v);
    }

    private static void row(String name, double ours, double peer, String target, double min) {
        row(name, ours, peer, target, min, true);
    }

    /** A row of rounds measured in pairs (higher is better): medians, paired ratio and its 95% interval. */
    private static void paired(String name, List<Double> ours, List<Double> peer, String target, double min) {
        PairedRatio r = PairedRatio.of(ours, peer);
        NAME.append(name);
        OURS.append(round(median(ours)));
        PEER.append(round(median(peer)));
        RATIO.append(round(r.mean()));
        INTERVAL.append(r.interval());
        TARGET.append(target);
        PASS.append(Double.isNaN(min) ? "-" : r.verdict(min, true));
    }

    /** A row; {@code higherIsBetter} picks whether ratio = ours / peer must reach or stay under {@code min}. */
    private static void row(String name, double ours, double peer, String target, double min, boolean higherIsBetter) {
        double ratio = Double.isNaN(peer) ? Double.NaN : ours / peer;
        NAME.append(name);
        OURS.append(round(ours));
        PEER.append(round(peer));
        RATIO.append(round(ratio));
        INTERVAL.append("-");
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

    /** Three decimals for the tables; NaN stays NaN. */
    static double round(double v) {
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
}
