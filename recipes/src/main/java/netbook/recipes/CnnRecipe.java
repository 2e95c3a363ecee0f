package netbook.recipes;

import java.nio.file.Path;
import java.util.List;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.dsl.Net;
import netbook.dsl.Summary;
import netbook.render.LinePlot;
import netbook.env.Env;
import netbook.train.Fit;
import netbook.train.Optimizers;
import netbook.train.Schedule;
import netbook.env.Stamp;
import netbook.train.TrainedModel;
import netbook.zoo.Zoo;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The classic CNNs, shrunk for 1x28x28 input with their block structure kept (AlexNet, VGG with
 * BN, GoogLeNet with both auxiliary heads, ResNet-18, Inception-v3), trained on the real
 * Fashion-MNIST training set and evaluated on its test set.
 * <pre>./netbook recipe cnn            ./netbook recipe cnn --full --out results/cnn</pre>
 */
public final class CnnRecipe implements Recipe {
    /** The small variants trained, one per paper. */
    static final List<String> MODELS = List.of("alexnet-small", "vgg11-bn-small", "googlenet-small",
            "resnet18-small", "inception-v3-small");

    /** Training examples (0 = all), test examples (0 = all), epochs, batch, Adam's rate (cosine decay). */
    record Config(int trainExamples, int testExamples, int epochs, int batch, double lr) {
        static final Config QUICK = new Config(4000, 2000, 2, 128, 3e-3);   // 20-60 s per model on 2 idle cores
        static final Config FULL = new Config(0, 0, 2, 128, 3e-3);
    }

    @Override public String name() { return "cnn"; }

    @Override public String description() {
        return "AlexNet, VGG, GoogLeNet (aux heads), ResNet, Inception-v3 (small variants) on Fashion-MNIST";
    }

    @Override
    public List<Table> run(Settings s, Path out) throws Exception {
        return run(s, out, MODELS);
    }

    List<Table> run(Settings s, Path out, List<String> models) throws Exception {
        Config c = s.full() ? Config.FULL : Config.QUICK;
        FashionMnist source = s.dataDir() == null ? FashionMnist.standard() : FashionMnist.at(s.dataDir());
        ArrayDataset train = source.trainSet();
        ArrayDataset test = source.testSet();
        if (c.trainExamples() > 0) train = train.sample(c.trainExamples(), s.seed());
        if (c.testExamples() > 0) test = test.sample(c.testExamples(), s.seed() + 1);

        StringColumn model = StringColumn.create("model");
        LongColumn params = LongColumn.create("params");
        DoubleColumn macs = DoubleColumn.create("mmacs_per_image");
        IntColumn epochs = IntColumn.create("epochs");
        DoubleColumn acc = DoubleColumn.create("test_accuracy");
        DoubleColumn secs = DoubleColumn.create("train_time_s");
        DoubleColumn ips = DoubleColumn.create("images_per_s");
        StringColumn eModel = StringColumn.create("model");
        IntColumn eEpoch = IntColumn.create("epoch");
        DoubleColumn eAcc = DoubleColumn.create("test_accuracy");
        DoubleColumn eLoss = DoubleColumn.create("train_loss");
        LinePlot plot = LinePlot.titled("Fashion-MNIST test accuracy per epoch").xLabel("epoch").yLabel("test accuracy");

        for (String name : models) {
            Net net = Zoo.get(name);
            Summary sum = net.summary();
            try (TrainedModel m = Fit.of(net, train).validation(test).epochs(c.epochs()).batchSize(c.batch())
                    .seed(s.seed()).optimizer(Optimizers.adam(c.lr()).schedule(Schedule.cosine())).run()) {
                Table t = m.metrics();
                int last = t.rowCount() - 1;
                double wall = t.doubleColumn("wall_s").get(last);
                double[] x = new double[t.rowCount()];
                double[] y = new double[t.rowCount()];
                double trainSecs = 0;
                for (int r = 0; r < t.rowCount(); r++) {
                    x[r] = r + 1;
                    y[r] = t.doubleColumn("val_accuracy").get(r);
                    eModel.append(name);
                    eEpoch.append(r + 1);
                    eAcc.append(y[r]);
                    eLoss.append(t.doubleColumn("train_loss").get(r));
                    trainSecs += train.size() / t.doubleColumn("examples_per_s").get(r);
                }
                plot = plot.series(name, x, y);
                model.append(name);
                params.append(sum.params());
                macs.append(sum.macs() / 1e6);
                epochs.append(c.epochs());
                acc.append(y[last]);
                secs.append(wall);
                ips.append((double) train.size() * c.epochs() / trainSecs);
            }
        }
        Stamp stamp = Stamp.of(s.seed(), Env.describe(Env.devices()), train.sourceHash());
        Table results = Table.create("cnn: small classic CNNs on Fashion-MNIST (" + train.size() + " train, "
                + test.size() + " test images)", model, params, macs, epochs, acc, secs, ips);
        Table perEpoch = Table.create("cnn: test accuracy per epoch", eModel, eEpoch, eAcc, eLoss);
        ResultFiles.table(out, "cnn-results", results, stamp);
        ResultFiles.table(out, "cnn-epochs", perEpoch, stamp);
        ResultFiles.text(out, "cnn-accuracy.svg", plot.toSvg());
        return List.of(results, perEpoch);
    }

}
