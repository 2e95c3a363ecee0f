package netbook.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import netbook.train.Env;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./netbook bench [--full]}: Netbook's benchmarks in one table (benchmark, Netbook figure,
 * peer figure, ratio, target, pass). Quick settings use narrow models and few steps; --full uses
 * the ResNet-18 form of the performance issue (stages 64/128/256/512, batch 128).
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) {
        List<String> a = Arrays.asList(args);
        boolean full = a.contains("--full");
        int[] widths = full ? new int[] {64, 128, 256, 512} : new int[] {16, 32, 64, 128};
        int batch = full ? 128 : 64;
        int steps = full ? 10 : 8;
        int rounds = full ? 5 : 5;
        System.err.println("netbook bench" + (full ? " --full" : "") + " on " + Env.describe(Env.devices())
                + ", intra-op threads " + System.getProperty("ai.djl.pytorch.num_threads", "default"));
        StringColumn name = StringColumn.create("benchmark");
        DoubleColumn ours = DoubleColumn.create("netbook");
        DoubleColumn peer = DoubleColumn.create("peer");
        DoubleColumn ratio = DoubleColumn.create("ratio");
        StringColumn target = StringColumn.create("target");
        StringColumn pass = StringColumn.create("pass");

        System.err.println("DSL overhead: ResNet-18 (1x28x28) widths " + DslOverheadBench.describe(widths) + ", batch " + batch);
        DslOverheadBench.Result r = DslOverheadBench.run(widths, batch, steps, rounds);
        if (r.dslParams() != r.plainParams()) {
            throw new IllegalStateException("the DSL and plain DJL models differ: " + r.dslParams() + " vs " + r.plainParams() + " params");
        }
        name.append("train img/s, DSL ResNet-18 vs plain DJL " + DslOverheadBench.describe(widths));
        ours.append(r.dslImagesPerS());
        peer.append(r.plainImagesPerS());
        ratio.append(r.ratio());
        target.append(">= 0.98");
        pass.append(r.ratio() >= 0.98 ? "pass" : "FAIL");

        Table t = Table.create("netbook bench", name, ours, peer, ratio, target, pass);
        System.out.println(t.printAll());
        System.out.println(String.format(Locale.ROOT, "cpus %d, %s", Runtime.getRuntime().availableProcessors(), Env.describe(Env.devices())));
    }
}
