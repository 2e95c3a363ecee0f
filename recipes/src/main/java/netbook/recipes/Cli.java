package netbook.recipes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.train.Env;
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
              train MODEL [--epochs N] [--batch N] [--lr X] [--limit N] [--out FILE] [--seed N]
                                               train a model on Fashion-MNIST and evaluate it on the test set
              recipe NAME [--full] [--out DIR] run a paper's recipe (quick settings unless --full)
              recipes                          list the recipes
              env                              engine, versions, devices, threads
              jshell                           JShell with Netbook on the class path and imports ready
              kernel install [--user|--prefix DIR] | notebook | bench
            """;

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (NetbookException e) {
            System.err.println("netbook: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) throws NetbookException {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return args.length == 0 ? 1 : 0;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        switch (args[0]) {
            case "zoo" -> System.out.println(Zoo.table().printAll());
            case "summary" -> {
                if (rest.isEmpty()) throw new NetbookException("summary needs a model name; ./netbook zoo lists them");
                System.out.println(Zoo.get(rest.get(0)).summary());
            }
            case "env" -> System.out.println(Env.table().printAll());
            case "train" -> train(rest);
            case "recipes" -> Recipes.all().values().forEach(r -> System.out.printf(Locale.ROOT, "%-16s %s%n", r.name(), r.description()));
            case "recipe" -> recipe(rest);
            default -> {
                System.err.print("netbook: unknown command '" + args[0] + "'\n" + USAGE);
                return 2;
            }
        }
        return 0;
    }

    private static void train(List<String> a) {
        if (a.isEmpty()) throw new NetbookException("train needs a model name, e.g. ./netbook train resnet18-small");
        Net net = Zoo.get(a.get(0));
        int epochs = Integer.parseInt(option(a, "--epochs", "1"));
        int batch = Integer.parseInt(option(a, "--batch", "128"));
        double lr = Double.parseDouble(option(a, "--lr", "0.003"));
        long seed = Long.parseLong(option(a, "--seed", "42"));
        int limit = Integer.parseInt(option(a, "--limit", "0"));
        ArrayDataset train = FashionMnist.train();
        ArrayDataset test = FashionMnist.test();
        if (limit > 0) {
            train = train.sample(limit, seed);
        }
        if (!net.inputShape().equals(train.shape())) {
            throw new NetbookException(net.name() + " takes " + net.inputShape() + " but Fashion-MNIST images are "
                    + train.shape() + "; pick a model ending in -small (./netbook zoo)");
        }
        System.err.println("netbook: training " + net + " on " + train + " using " + Env.describe(Env.devices()));
        try (TrainedModel m = Fit.of(net, train).validation(test).epochs(epochs).batchSize(batch).seed(seed)
                .optimizer(Optimizers.adam(lr).schedule(Schedule.cosine())).run()) {
            System.out.println(m.metrics().printAll());
            System.out.println(m.stamp());
            String out = option(a, "--out", null);
            if (out != null) {
                m.save(Path.of(out));
                System.out.println("saved " + out);
            }
        } catch (java.io.IOException e) {
            throw new NetbookException("cannot save the model: " + e.getMessage(), e);
        }
    }

    private static void recipe(List<String> a) {
        if (a.isEmpty()) throw new NetbookException("recipe needs a name; one of " + Recipes.all().keySet());
        Recipe r = Recipes.all().get(a.get(0));
        if (r == null) throw new NetbookException("no recipe '" + a.get(0) + "'; one of " + Recipes.all().keySet());
        boolean full = a.contains("--full");
        Path out = Path.of(option(a, "--out", "out/" + r.name()));
        String data = option(a, "--data", null);
        long seed = Long.parseLong(option(a, "--seed", "42"));
        System.err.println("netbook: recipe " + r.name() + (full ? " (full)" : " (quick)") + " into " + out.toAbsolutePath());
        try {
            for (Table t : r.run(new Recipe.Settings(full, seed, data == null ? null : Path.of(data)), out)) {
                System.out.println(t.printAll());
                System.out.println();
            }
        } catch (NetbookException e) {
            throw e;
        } catch (Exception e) {
            throw new NetbookException("recipe " + r.name() + " failed: " + e, e);
        }
    }

    static String option(List<String> a, String name, String dflt) {
        int i = a.indexOf(name);
        if (i < 0) return dflt;
        if (i + 1 >= a.size()) throw new NetbookException(name + " needs a value");
        return a.get(i + 1);
    }
}
