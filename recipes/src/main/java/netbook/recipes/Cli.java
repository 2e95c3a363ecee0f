package netbook.recipes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import netbook.data.ArrayDataset;
import netbook.data.Augment;
import netbook.data.FashionMnist;
import netbook.data.ImageFolder;
import netbook.data.Tabular;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.render.Html;
import netbook.files.AtomicFiles;
import netbook.train.EarlyStopping;
import netbook.env.Env;
import netbook.train.Metrics;
import netbook.train.Fit;
import netbook.train.Optimizers;
import netbook.train.Schedule;
import netbook.train.TrainedModel;
import netbook.zoo.Zoo;
import tech.tablesaw.api.Table;

/** The {@code ./netbook} commands that run in one JVM: zoo, summary, train, recipe, env. */
public final class Cli {
    private Cli() {}

    static final String USAGE = """
            usage: ./netbook COMMAND
              zoo                              every built-in model: parameters, reference, MACs, shapes
              summary MODEL                    the layer table of one model (see zoo for names)
              train MODEL [--data PATH] [--label COLUMN] [--epochs N] [--early-stop N] [--checkpoint-dir DIR]
                    [--resume] [--out DIR] [--batch N] [--lr X] [--seed N] [--limit N] [--hidden N]
                    [--missing error|drop|fill] [--test-fraction X] [--augment PAD] [--erase P] [--normalize] [--regression]
                                               train a zoo model on Fashion-MNIST (no --data) or an image folder,
                                               or mlp on a CSV file; --out DIR gets metrics, confusion matrix, model;
                                               --normalize puts the training images' per-channel mean and deviation
                                               in front of the model (saved with it, so predict applies it too)
              predict MODEL_FILE --data PATH --out FILE.csv
                                               class and probabilities for each CSV row or image
              recipe NAME [--full] [--out DIR] [--only PART] [--seed N]
                                               run a paper's recipe (quick settings unless --full); --only runs
                                               one part of a recipe that has parts (ablations); --seed: the
                                               first seed (default 42)
              sweep FILE.json [--master URL] [--out DIR] [--threads-per-trial N] [--sequential]
                                               every trial of a sweep as a Spark task: embedded executor
                                               processes by default, or a cluster (spark://host:7077, yarn, k8s://...)
              batch-predict MODEL_FILE --data PATH --out DIR [--master URL] [--partitions N]
                                               a saved model's predictions for an image folder or a CSV/Parquet file,
                                               split across Spark executors; with labels, accuracy and per-class tables
              spark-master [--host H] [--port P] | spark-worker spark://H:P [--cores N] [--memory M]
                                               a standalone Spark cluster started from Netbook's jars
              recipes                          list the recipes
              env                              engine, versions, devices, threads
              jshell                           JShell with Netbook on the class path and imports ready
              kernel install [--user|--prefix DIR] | notebook | bench
            """;

    /** {@code ./netbook help COMMAND} and {@code ./netbook COMMAND --help}: the command's lines of the usage. */
    static final java.util.Map<String, String> COMMAND_HELP = commandHelp();

    private static java.util.Map<String, String> commandHelp() {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        String current = null;
        StringBuilder b = new StringBuilder();
        for (String line : USAGE.lines().skip(1).toList()) {
            String trimmed = line.strip();
            boolean starts = line.startsWith("  ") && !line.startsWith("    ") && !trimmed.isEmpty();
            if (starts) {
                if (current != null) out.put(current, b.toString());
                current = trimmed.split("\\s+")[0];
                b = new StringBuilder("usage: ./netbook ");
            }
            if (current != null) b.append(starts ? trimmed : line).append('\n');
        }
        if (current != null) out.put(current, b.toString());
        return out;
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (NetbookException e) {
            System.err.println("netbook: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) throws NetbookException {
        if (args.length == 0 || args.length == 1 && (args[0].equals("help") || args[0].equals("--help"))) {
            System.out.print(USAGE);
            return args.length == 0 ? 1 : 0;
        }
        if (args[0].equals("help") && args.length > 1 || args.length > 1 && Arrays.asList(args).contains("--help")) {
            String command = args[0].equals("help") ? args[1] : args[0];
            String help = COMMAND_HELP.get(command);
            if (help == null) throw new NetbookException("help: no command '" + command + "'; commands are " + COMMAND_HELP.keySet());
            System.out.print(help);
            return 0;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        switch (args[0]) {
            case "zoo" -> {
                noArguments("zoo", rest);
                System.out.println(Zoo.table().printAll());
            }
            case "summary" -> {
                if (rest.size() != 1) throw new NetbookException("summary needs one model name, received " + rest + "; ./netbook zoo lists them");
                System.out.println(Zoo.get(rest.get(0)).summary());
            }
            case "env" -> {
                noArguments("env", rest);
                System.out.println(Env.table().printAll());
            }
            case "train" -> train(rest);
            case "predict" -> predict(rest);
            case "recipes" -> Recipes.all().values().forEach(r -> System.out.printf(Locale.ROOT, "%-16s %s%n", r.name(), r.description()));
            case "recipe" -> recipe(rest);
            default -> {
                System.err.print("netbook: unknown command '" + args[0] + "'\n" + USAGE);
                return 2;
            }
        }
        return 0;
    }

    /** A command that takes nothing refuses what it was given, rather than ignoring a typo. */
    private static void noArguments(String command, List<String> rest) {
        if (!rest.isEmpty()) {
            throw new NetbookException(command + " takes no arguments, received " + rest);
        }
    }

    static final Set<String> TRAIN_OPTIONS = Set.of("--data", "--label", "--epochs", "--batch", "--lr", "--seed", "--limit",
            "--early-stop", "--checkpoint-dir", "--out", "--hidden", "--missing", "--test-fraction", "--augment", "--erase");

    /** Trains a zoo model on Fashion-MNIST, or an MLP on a CSV file; every option is checked before training starts. */
    private static void train(List<String> args) {
        Options o = Options.parse("train", args, TRAIN_OPTIONS, Set.of("--resume", "--regression", "--normalize"));
        if (o.positional().size() != 1) {
            throw new NetbookException("train: give one model (a zoo name, or mlp for a CSV file), received " + o.positional());
        }
        String modelName = o.positional().get(0);
        int epochs = o.positiveInt("--epochs", 1);
        int batch = o.positiveInt("--batch", 128);
        double lr = o.positiveDouble("--lr", 0.003);
        long seed = o.wholeNumber("--seed", 42);
        int limit = o.positiveInt("--limit", Integer.MAX_VALUE);
        int earlyStop = o.positiveInt("--early-stop", 0);
        int hidden = o.positiveInt("--hidden", 32);
        double testFraction = o.positiveDouble("--test-fraction", 0.2);
        String missing = o.string("--missing", "error");
        if (!List.of("error", "drop", "fill").contains(missing)) {
            throw new NetbookException("train: option --missing takes error, drop or fill, received '" + missing + "'");
        }
        Path checkpoints = o.path("--checkpoint-dir");
        if (o.flag("--resume") && checkpoints == null) throw new NetbookException("train: --resume needs --checkpoint-dir DIR");
        Path out = o.path("--out");
        if (out != null) ResultSet.requireWritableFolder("train", "--out", out);
        if (checkpoints != null) ResultSet.requireWritableFolder("train", "--checkpoint-dir", checkpoints);
        Path data = o.path("--data");
        int augmentPad = o.has("--augment") ? (int) o.wholeNumber("--augment", 0) : -1;
        if (o.has("--augment") && augmentPad < 0) throw new NetbookException("train: option --augment needs a padding of zero or more pixels, received " + augmentPad);
        if (augmentPad >= 0 && (data == null || !Files.isDirectory(data))) {
            throw new NetbookException("train: --augment is for an image folder given with --data DIR");
        }
        double erase = o.positiveDouble("--erase", 0);
        if (erase > 1) throw new NetbookException("train: option --erase is the probability of random erasing, at most 1, received " + erase);
        if (erase > 0 && (data == null || !Files.isDirectory(data))) {
            throw new NetbookException("train: --erase is for an image folder given with --data DIR");
        }

        Net net;
        ArrayDataset train;
        ArrayDataset test;
        Schedule schedule = Schedule.cosine();
        if (data == null) {
            if (modelName.equals("mlp")) throw new NetbookException("train: mlp is sized from a CSV file; give --data FILE.csv --label COLUMN");
            if (o.has("--label")) throw new NetbookException("train: --label is for a CSV file given with --data");
            net = Zoo.get(modelName);
            train = FashionMnist.train();
            test = FashionMnist.test();
            if (!net.inputShape().equals(train.shape())) {
                throw new NetbookException(net.name() + " takes " + net.inputShape() + " but Fashion-MNIST images are "
                        + train.shape() + "; pick a model ending in -small (./netbook zoo)");
            }
        } else if (Files.isDirectory(data)) {
            ImageFolder.Split split = ImageFolder.of(data).split(testFraction, seed);
            net = Zoo.get(modelName);
            train = split.train().resizedFor(net);
            test = split.test().resizedFor(net);
        } else {
            if (!modelName.equals("mlp")) {
                throw new NetbookException("train: a CSV file trains an mlp (./netbook train mlp --data " + data + " --label COLUMN), not " + modelName);
            }
            Tabular table = Tabular.csv(data);
            if (!o.has("--label")) throw new NetbookException("train: say which column to predict with --label COLUMN; " + table.columnsSentence());
            table = table.label(o.string("--label", null));
            if (o.flag("--regression")) table = table.regression();
            if (missing.equals("drop")) table = table.dropMissing();
            if (missing.equals("fill")) table = table.fillMissing();
            Tabular.Split split = table.split(testFraction, seed);
            train = split.train();
            test = split.test();
            net = Tabular.mlp(train, hidden);
            schedule = Schedule.constant();
        }
        if (o.flag("--regression") && (data == null || Files.isDirectory(data))) {
            throw new NetbookException("train: --regression is for a CSV file whose --label column holds numbers");
        }
        if (o.flag("--normalize")) {
            if (train.encoding() != null) throw new NetbookException("train: --normalize is for images; a CSV file's numeric columns are standardised already");
            net = net.prepend(train.normalization());   // statistics of the training images only
        }
        if (limit < train.size()) train = train.sample(limit, seed);
        System.err.println("netbook: training " + net + " on " + train + " using " + Env.describe(Env.devices()));
        Fit fit = Fit.of(net, train).validation(test).epochs(epochs).batchSize(batch).seed(seed)
                .optimizer(Optimizers.adam(lr).schedule(schedule));
        Augment.fromSettings(augmentPad, erase).ifPresent(fit::augment);
        if (earlyStop > 0) fit.callbacks(EarlyStopping.on("val_loss").patience(earlyStop));
        if (checkpoints != null) fit.checkpoints(checkpoints);
        if (o.flag("--resume")) fit.resume();
        try (TrainedModel m = fit.run()) {
            System.out.println(m.metrics().printAll());
            Table evaluation = m.evaluate(test);
            System.out.println(evaluation.printAll());
            System.out.println(m.stamp());
            if (out != null && train.isRegression()) {
                Files.createDirectories(out);
                AtomicFiles.writeString(out.resolve("metrics.csv"), csv(m.metrics()));
                AtomicFiles.writeString(out.resolve("regression.csv"), csv(m.regressionMetrics(test)));
                m.save(out.resolve("model.netbook"));
                System.out.println(m.regressionMetrics(test).printAll());
                System.out.println("wrote " + out.toAbsolutePath() + ": metrics.csv regression.csv model.netbook");
            } else if (out != null) {
                Table confusion = m.confusionMatrix(test);
                Files.createDirectories(out);
                AtomicFiles.writeString(out.resolve("metrics.csv"), csv(m.metrics()));
                AtomicFiles.writeString(out.resolve("evaluation.csv"), csv(evaluation));
                AtomicFiles.writeString(out.resolve("confusion.csv"), csv(confusion));
                AtomicFiles.writeString(out.resolve("confusion.html"), "<!doctype html><meta charset=\"utf-8\"><title>" + net.name() + " confusion matrix</title>\n" + Html.table(confusion));
                AtomicFiles.writeString(out.resolve("confusion.svg"), Metrics.heatmap(confusion).markup());
                Metrics.heatmapPng(confusion).save(out.resolve("confusion.png"));
                AtomicFiles.writeString(out.resolve("per-class.csv"), csv(m.perClass(test)));
                m.save(out.resolve("model.netbook"));
                System.out.println("wrote " + out.toAbsolutePath() + ": metrics.csv evaluation.csv confusion.{csv,html,svg,png} per-class.csv model.netbook");
            }
        } catch (java.io.IOException e) {
            throw new NetbookException("train: cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** Class and probabilities for every row of a CSV file (or image of a folder), with its file and row. */
    private static void predict(List<String> args) {
        Options o = Options.parse("predict", args, Set.of("--data", "--out"), Set.of());
        if (o.positional().size() != 1) throw new NetbookException("predict: give one model file (written by train --out DIR: DIR/model.netbook)");
        Path modelFile = Path.of(o.positional().get(0));
        Path data = o.path("--data");
        Path out = o.path("--out");
        if (data == null) throw new NetbookException("predict: say what to predict with --data FILE.csv or --data IMAGE_FOLDER");
        if (out == null) throw new NetbookException("predict: say where the predictions go with --out FILE.csv");
        if (!Files.exists(data)) throw new NetbookException("predict: " + data + ": no such file or folder");
        TrainedModel m;
        try {
            m = TrainedModel.load(modelFile);
        } catch (java.io.IOException e) {
            throw new NetbookException("predict: cannot read " + modelFile + ": " + e.getMessage(), e);
        }
        try (m) {
            ArrayDataset rows;
            List<String> files = new ArrayList<>();
            List<Integer> lines = new ArrayList<>();
            List<String> classes;
            if (m.encoding() != null) {
                if (Files.isDirectory(data)) throw new NetbookException("predict: " + modelFile + " was trained on table rows; --data must be a CSV file");
                Table t = Tabular.readCsv(data);
                rows = m.encoding().encode(t, data.toString());
                for (int i = 0; i < rows.size(); i++) {
                    files.add(data.toString());
                    lines.add(i + 1);
                }
                classes = m.encoding().classes();
            } else {
                if (!Files.isDirectory(data)) throw new NetbookException("predict: " + modelFile + " was trained on images; --data must be an image folder");
                ImageFolder.Images images = ImageFolder.unlabelled(data);
                rows = images.resizedFor(m.net());
                for (Path f : images.files()) files.add(f.toString());
                for (int i = 0; i < rows.size(); i++) lines.add(0);
                classes = m.classNames();   // the training folder's sub-folder names
            }
            float[][] scores = m.predict(rows);
            if (m.encoding() != null && m.encoding().regression()) {
                StringBuilder s = new StringBuilder("file,row,predicted\n");
                for (int i = 0; i < scores.length; i++) {
                    s.append(csvCell(files.get(i))).append(',').append(lines.get(i)).append(',')
                            .append(String.format(Locale.ROOT, "%.6g", m.encoding().unscale(scores[i][0]))).append('\n');
                }
                AtomicFiles.writeString(out, s.toString());
                System.out.println("wrote " + scores.length + " predictions to " + out.toAbsolutePath());
                return;
            }
            StringBuilder s = new StringBuilder("file,row,predicted");
            for (String c : classes) s.append(",p_").append(csvCell(c));
            s.append('\n');
            for (int i = 0; i < scores.length; i++) {
                double[] p = softmax(scores[i]);
                int best = 0;
                for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
                s.append(csvCell(files.get(i))).append(',').append(lines.get(i) == 0 ? "" : lines.get(i)).append(',').append(csvCell(classes.get(best)));
                for (double v : p) s.append(',').append(String.format(Locale.ROOT, "%.6f", v));
                s.append('\n');
            }
            AtomicFiles.writeString(out, s.toString());
            System.out.println("wrote " + scores.length + " predictions to " + out.toAbsolutePath());
        } catch (java.io.IOException e) {
            throw new NetbookException("predict: cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    private static double[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) max = Math.max(max, v);
        double[] p = new double[z.length];
        double sum = 0;
        for (int k = 0; k < z.length; k++) sum += p[k] = Math.exp(z[k] - max);
        for (int k = 0; k < z.length; k++) p[k] /= sum;
        return p;
    }

    private static String csvCell(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static String csv(Table t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.write().csv(w);
        return w.toString();
    }

    private static void recipe(List<String> args) {
        Options o = Options.parse("recipe", args, Set.of("--out", "--seed", "--data", "--only"), Set.of("--full"));
        if (o.positional().size() != 1) throw new NetbookException("recipe: give one recipe name; one of " + Recipes.all().keySet());
        Recipe r = Recipes.all().get(o.positional().get(0));
        if (r == null) throw new NetbookException("recipe: no recipe '" + o.positional().get(0) + "'; one of " + Recipes.all().keySet());
        boolean full = o.flag("--full");
        Path out = Path.of(o.string("--out", "out/" + r.name()));
        Path data = o.path("--data");
        long seed = o.wholeNumber("--seed", 42);
        if (data != null && !Files.isDirectory(data)) throw new NetbookException("recipe: --data " + data + " is not a folder");
        String only = o.string("--only", null);
        if (only != null && !r.parts().contains(only)) {
            throw new NetbookException("recipe: --only " + only + ": " + (r.parts().isEmpty()
                    ? "the recipe " + r.name() + " has no parts to run alone" : "the parts of " + r.name() + " are " + r.parts()));
        }
        // One part (--only) keeps the other parts' files that are already in the folder.
        Path staging = only == null ? ResultSet.prepare(out) : ResultSet.prepareKeeping(out);
        System.err.println("netbook: recipe " + r.name() + (full ? " (full)" : " (quick)") + " into " + out.toAbsolutePath());
        try {
            List<Table> tables = r.run(new Recipe.Settings(full, seed, data, only), staging);
            ResultSet.publish(staging, out);
            for (Table t : tables) {
                System.out.println(t.printAll());
                System.out.println();
            }
        } catch (NetbookException e) {
            ResultSet.discard(staging);
            throw e;
        } catch (Exception e) {
            ResultSet.discard(staging);
            throw new NetbookException("recipe " + r.name() + " failed: " + e, e);
        }
    }

}
