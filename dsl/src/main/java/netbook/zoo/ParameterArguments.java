package netbook.zoo;

import static netbook.dsl.Layers.conv;
import static netbook.dsl.Layers.seq;

import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.Summary;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The parameter arguments the CNN papers make, computed by the DSL from the layers themselves:
 * VGG's two 3x3 convolutions against one 5x5 (18C^2 against 25C^2 weights), GoogLeNet's 1x1
 * reduction before a 5x5, Inception-v3's factorisations (7x7 into 1x7 and 7x1, 3x3 into 1x3 and
 * 3x1), and GoogLeNet against AlexNet. Each row gives both designs' weights and multiply-adds at
 * the stated input, and the ratio (B over A). Convolutions here have no bias, as the arguments count.
 * <pre>ParameterArguments.table()</pre>
 */
public final class ParameterArguments {
    private ParameterArguments() {}

    /** One comparison: what the paper says, and the two designs at one input shape. */
    private record Row(String argument, String designA, Net a, String designB, Net b, String paperSays) {}

    private static Net on(long c, long h, long w, String name, Layer... layers) {
        return Net.input(c, h, w).named(name).add(layers);
    }

    private static Row[] rows() {
        int c = 64;
        return new Row[] {
            new Row("VGG: two 3x3 convolutions see 5x5", "two 3x3, C=64 to 64",
                    on(c, 56, 56, "two-3x3", conv(c, 3).padding(1).noBias(), conv(c, 3).padding(1).noBias()),
                    "one 5x5, C=64 to 64", on(c, 56, 56, "one-5x5", conv(c, 5).padding(2).noBias()),
                    "18C^2 against 25C^2 weights (28% fewer)"),
            new Row("GoogLeNet: 1x1 reduction before the 5x5 (inception 3a)", "1x1 to 16, then 5x5 to 32, from 192",
                    on(192, 28, 28, "reduced", conv(16, 1).noBias(), conv(32, 5).padding(2).noBias()),
                    "5x5 to 32 from 192 directly", on(192, 28, 28, "direct", conv(32, 5).padding(2).noBias()),
                    "1x1 convolutions reduce dimensions before the expensive 3x3 and 5x5"),
            new Row("Inception-v3: 7x7 factorised into 1x7 and 7x1", "1x7 then 7x1, C=192",
                    on(192, 17, 17, "1x7-7x1", conv(192, 1, 7).padding(0, 3).noBias(), conv(192, 7, 1).padding(3, 0).noBias()),
                    "one 7x7, C=192", on(192, 17, 17, "7x7", conv(192, 7).padding(3).noBias()),
                    "n x n as 1 x n then n x 1: 2n/n^2 of the cost (3.5x cheaper for n = 7)"),
            new Row("Inception-v3: 3x3 factorised into 1x3 and 3x1", "1x3 then 3x1, C=192",
                    on(192, 17, 17, "1x3-3x1", conv(192, 1, 3).padding(0, 1).noBias(), conv(192, 3, 1).padding(1, 0).noBias()),
                    "one 3x3, C=192", on(192, 17, 17, "3x3", conv(192, 3).padding(1).noBias()),
                    "33% cheaper than the 3x3"),
            new Row("GoogLeNet against AlexNet (whole networks, 1000 classes)", "GoogLeNet (torchvision)", GoogLeNet.of().build(),
                    "AlexNet (torchvision)", AlexNet.of().build(),
                    "12 times fewer parameters than Krizhevsky et al.'s network"),
        };
    }

    /** argument, design A, params A, MACs A, design B, params B, MACs B, params B/A, MACs B/A, what the paper says. */
    public static Table table() {
        StringColumn argument = StringColumn.create("argument");
        StringColumn designA = StringColumn.create("design A");
        LongColumn paramsA = LongColumn.create("params A");
        LongColumn macsA = LongColumn.create("MACs A");
        StringColumn designB = StringColumn.create("design B");
        LongColumn paramsB = LongColumn.create("params B");
        LongColumn macsB = LongColumn.create("MACs B");
        DoubleColumn paramRatio = DoubleColumn.create("params B/A");
        DoubleColumn macRatio = DoubleColumn.create("MACs B/A");
        StringColumn paper = StringColumn.create("the paper says");
        for (Row r : rows()) {
            Summary a = r.a().summary();
            Summary b = r.b().summary();
            argument.append(r.argument());
            designA.append(r.designA());
            paramsA.append(a.params());
            macsA.append(a.macs());
            designB.append(r.designB());
            paramsB.append(b.params());
            macsB.append(b.macs());
            paramRatio.append(Math.round(1000.0 * b.params() / a.params()) / 1000.0);
            macRatio.append(Math.round(1000.0 * b.macs() / a.macs()) / 1000.0);
            paper.append(r.paperSays());
        }
        return Table.create("the papers' parameter arguments, computed from the layers",
                argument, designA, paramsA, macsA, designB, paramsB, macsB, paramRatio, macRatio, paper);
    }
}
