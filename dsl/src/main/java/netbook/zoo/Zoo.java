package netbook.zoo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Summary;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Every built-in model by name, with the published figures it is checked against
 * (each {@link Model} names its source: torchvision, timm, or a count computed from the paper).
 * {@link #table()} compares them from the specs
 * alone, without allocating any weights.
 * <pre>
 * Net net = Zoo.get("vgg16-bn");
 * System.out.println(Zoo.table().print());
 * </pre>
 */
public final class Zoo {
    private Zoo() {}

    /**
     * One registered model.
     *
     * @param name registry name, such as {@code resnet50}
     * @param build builds the network (spec only; nothing is allocated)
     * @param referenceParams the published trainable parameter count, or null when there is none
     * @param source where the reference figures come from: {@code [src]} stated by the source,
     *     {@code [computed]} counted from the source code
     * @param referenceGmacs the published multiply-accumulates per image in billions (torchvision's
     *     GFLOPS, timm's GMACs), or null
     */
    public record Model(String name, Supplier<Net> build, Long referenceParams, String source, Double referenceGmacs) {
        public Net net() { return build.get(); }
    }

    private static final String TV = "[src] torchvision";
    private static final String TV_COMPUTED = "[computed] from torchvision";
    private static final String TIMM = "[computed] from timm; GMACs timm";

    private static final Map<String, Model> MODELS = new LinkedHashMap<>();

    static {
        add("alexnet", () -> AlexNet.of().build(), 61_100_840L, TV, 0.714);
        add("alexnet-original", () -> AlexNet.of().paper().build(), 60_965_224L, "[computed] from the paper", null);
        add("alexnet-original-ungrouped", () -> AlexNet.of().paper().grouped(false).build(), 62_378_344L, "[computed] from the paper", null);
        add("zfnet", () -> ZFNet.of().build(), 62_357_608L, "[computed] from the UNCONFIRMED 384/384 widths", null);
        double[] vggGmacs = {7.609, 11.308, 15.47, 19.632};
        long[][] vggParams = {{132_863_336L, 132_868_840L}, {133_047_848L, 133_053_736L},
                {138_357_544L, 138_365_992L}, {143_667_240L, 143_678_248L}};
        int[] vggDepths = {11, 13, 16, 19};
        for (int i = 0; i < vggDepths.length; i++) {
            int depth = vggDepths[i];
            add("vgg" + depth, () -> Vgg.of(depth).build(), vggParams[i][0], TV, vggGmacs[i]);
            add("vgg" + depth + "-bn", () -> Vgg.of(depth).batchNorm(true).build(), vggParams[i][1], TV, vggGmacs[i]);
        }
        add("googlenet", () -> GoogLeNet.of().build(), 6_624_904L, TV, 1.498);
        add("googlenet-aux", () -> GoogLeNet.of().aux(true).build(), 13_004_888L, TV_COMPUTED + "; GMACs torchvision (no aux at inference)", 1.498);
        add("googlenet-5x5", () -> GoogLeNet.of().paper5x5(true).build(), 7_005_832L, TV_COMPUTED + " with the paper's 5x5", null);
        add("googlenet-5x5-aux", () -> GoogLeNet.of().paper5x5(true).aux(true).build(), 13_385_816L, TV_COMPUTED + " with the paper's 5x5", null);
        long[] resnetParams = {11_689_512L, 21_797_672L, 25_557_032L, 44_549_160L, 60_192_808L};
        double[] resnetGmacs = {1.814, 3.664, 4.089, 7.801, 11.514};
        int[] resnetDepths = {18, 34, 50, 101, 152};
        for (int i = 0; i < resnetDepths.length; i++) {
            int depth = resnetDepths[i];
            add("resnet" + depth, () -> ResNet.of(depth).build(), resnetParams[i], TV, resnetGmacs[i]);
        }
        add("inception-v3", () -> InceptionV3.of().aux(false).build(), 23_834_568L, TV_COMPUTED + " (without AuxLogits); GMACs torchvision", 5.713);
        add("inception-v3-aux", () -> InceptionV3.of().aux(true).build(), 27_161_264L, TV, 5.713);
        add("inception-v4", () -> InceptionV4.of().build(), 42_679_816L, TIMM, 12.28);
        add("inception-resnet-v2", () -> InceptionResNetV2.of().build(), 55_843_464L, TIMM, 13.18);
        // Models of the modules on the class path (the runtime's VQ-VAE-2), found without this module depending on them.
        for (Library library : java.util.ServiceLoader.load(Library.class, Zoo.class.getClassLoader())) {
            for (Model m : library.models()) MODELS.put(m.name(), m);
        }

        // Small variants for 1x28x28 Fashion-MNIST: no published figures.
        add("alexnet-small", () -> AlexNet.of().small().classes(10).build(), null, null, null);
        add("zfnet-small", () -> ZFNet.of().small().classes(10).build(), null, null, null);
        add("vgg11-small", () -> Vgg.of(11).small().classes(10).build(), null, null, null);
        add("vgg11-bn-small", () -> Vgg.of(11).batchNorm(true).small().classes(10).build(), null, null, null);
        add("vgg16-bn-small", () -> Vgg.of(16).batchNorm(true).small().classes(10).build(), null, null, null);
        add("googlenet-small", () -> GoogLeNet.of().small().aux(true).classes(10).build(), null, null, null);
        add("resnet18-small", Zoo::resnet18Small, null, null, null);
        add("inception-v3-small", () -> InceptionV3.of().small().classes(10).build(), null, null, null);
        add("inception-v4-small", () -> InceptionV4.of().small().classes(10).build(), null, null, null);
        add("inception-resnet-v2-small", () -> InceptionResNetV2.of().small().classes(10).build(), null, null, null);
    }

    /**
     * Models a library adds to the zoo, listed in its {@code META-INF/services/netbook.zoo.Zoo$Library}.
     */
    public interface Library {
        List<Model> models();
    }

    private static void add(String name, Supplier<Net> build, Long params, String source, Double gmacs) {
        MODELS.put(name, new Model(name, build, params, source, gmacs));
    }

    /** ResNet-18 for 1x28x28: 3x3 stride-1 stem without max-pool, widths 16-32-64-128. */
    static Net resnet18Small() {
        return ResNet.of(18).input(1, 28, 28).compactStem(true).widths(16, 32, 64, 128).classes(10).build().named("resnet18-small");
    }

    /** The registered names, in registry order. */
    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }

    /** Every registered model, in registry order. */
    public static List<Model> models() {
        return List.copyOf(MODELS.values());
    }

    /** The registered model called {@code name}; an unknown name is an error listing the valid ones. */
    public static Model model(String name) {
        Model m = MODELS.get(name);
        if (m == null) {
            throw new NetbookException("no model named '" + name + "' in the zoo; valid names: " + String.join(", ", MODELS.keySet()));
        }
        return m;
    }

    /** The network called {@code name}, as a spec (nothing allocated). */
    public static Net get(String name) {
        return model(name).net();
    }

    /**
     * One row per model, from the specs alone: model, params (trainable, aux heads included),
     * reference_params, match, macs_g (per image at the model's input, aux heads excluded),
     * reference_gmacs, input, output, source. Missing references are missing values.
     */
    public static Table table() {
        StringColumn model = StringColumn.create("model");
        LongColumn params = LongColumn.create("params");
        LongColumn refParams = LongColumn.create("reference_params");
        BooleanColumn match = BooleanColumn.create("match");
        DoubleColumn macs = DoubleColumn.create("macs_g");
        DoubleColumn refMacs = DoubleColumn.create("reference_gmacs");
        StringColumn input = StringColumn.create("input");
        StringColumn output = StringColumn.create("output");
        StringColumn source = StringColumn.create("source");
        for (Model m : MODELS.values()) {
            Summary s = m.net().summary();
            model.append(m.name());
            params.append(s.params());
            if (m.referenceParams() == null) {
                refParams.appendMissing();
                match.appendMissing();
            } else {
                refParams.append(m.referenceParams());
                match.append(m.referenceParams() == s.params());
            }
            macs.append(s.macs() / 1e9);
            if (m.referenceGmacs() == null) {
                refMacs.appendMissing();
            } else {
                refMacs.append(m.referenceGmacs());
            }
            input.append(s.input().toString());
            output.append(s.output().toString());
            source.append(m.source() == null ? "" : m.source());
        }
        return Table.create("zoo", model, params, refParams, match, macs, refMacs, input, output, source);
    }

    /** The names whose parameter count differs from its reference; empty when all match. */
    public static List<String> mismatches() {
        List<String> bad = new ArrayList<>();
        for (Model m : MODELS.values()) {
            if (m.referenceParams() != null && m.referenceParams() != m.net().params()) {
                bad.add(m.name() + ": " + m.net().params() + " != " + m.referenceParams());
            }
        }
        return bad;
    }
}
