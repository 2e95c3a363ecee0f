package netbook.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import netbook.data.Penguins;
import netbook.dsl.NetbookException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train and predict commands: options checked before training, the penguins from CSV to predictions. */
class CliTest {
    private static String error(String... args) {
        return assertThrows(NetbookException.class, () -> Cli.run(args)).getMessage();
    }

    @Test
    void badOptionsAreOneLineErrorsBeforeTraining() {
        String unknown = error("train", "mlp", "--epocs", "3");
        assertTrue(unknown.startsWith("train: unknown option --epocs; options are --augment --batch --checkpoint-dir --data"), unknown);
        assertEquals("train: --augment is for an image folder given with --data DIR", error("train", "resnet18-small", "--augment", "2"));
        assertEquals("train: --erase is for an image folder given with --data DIR", error("train", "resnet18-small", "--erase", "0.5"));
        assertEquals("train: option --erase is the probability of random erasing, at most 1, received 1.5", error("train", "resnet18-small", "--erase", "1.5"));
        assertEquals("train: option --erase needs a positive number, received 'half'", error("train", "resnet18-small", "--erase", "half"));
        assertEquals("train: option --epochs needs a positive whole number, received 'three'", error("train", "mlp", "--epochs", "three"));
        assertEquals("train: option --lr needs a positive number, received '-1'", error("train", "mlp", "--lr", "-1"));
        assertEquals("train: option --label needs a value", error("train", "mlp", "--label"));
        assertEquals("train: --resume needs --checkpoint-dir DIR", error("train", "mlp", "--resume"));
        assertEquals("train: mlp is sized from a CSV file; give --data FILE.csv --label COLUMN", error("train", "mlp"));
        assertEquals("train: option --missing takes error, drop or fill, received 'ignore'", error("train", "mlp", "--missing", "ignore"));
        String csv = Penguins.csv().toString();
        assertEquals("train: a CSV file trains an mlp (./netbook train mlp --data " + csv + " --label COLUMN), not resnet18-small",
                error("train", "resnet18-small", "--data", csv));
        assertEquals("train: say which column to predict with --label COLUMN; columns are [species, island, bill_length_mm, "
                + "bill_depth_mm, flipper_length_mm, body_mass_g, sex, year]", error("train", "mlp", "--data", csv));
        assertTrue(error("train", "mlp", "--data", csv, "--label", "species").contains("missing values in bill_length_mm (2 rows"));
        assertEquals("predict: say where the predictions go with --out FILE.csv", error("predict", "m.netbook", "--data", csv));
        assertEquals("train: --normalize is for images; a CSV file's numeric columns are standardised already",
                error("train", "mlp", "--data", csv, "--label", "species", "--missing", "drop", "--normalize"));
        assertEquals("recipe: unknown option --ful; options are --data --full --only --out --seed", error("recipe", "cnn", "--ful"));
        assertEquals("recipe: --only lrn: the recipe cnn has no parts to run alone", error("recipe", "cnn", "--only", "lrn"));
        assertEquals("recipe: --only lrn: the parts of ablations are [googlenet-aux, vgg-depth, alexnet-lrn]", error("recipe", "ablations", "--only", "lrn"));
        assertEquals("recipe: option --seed needs a whole number, received 'x'", error("recipe", "cnn", "--seed", "x"));
        assertEquals("recipe: no recipe 'cnm'; one of " + Recipes.all().keySet(), error("recipe", "cnm"));
        assertEquals("zoo takes no arguments, received [--bogus]", error("zoo", "--bogus"));
        assertEquals("env takes no arguments, received [--all]", error("env", "--all"));
        assertEquals("summary needs one model name, received [lenet5, resnet18]; ./netbook zoo lists them", error("summary", "lenet5", "resnet18"));
        assertEquals("train: --out " + csv + " is a file, not a folder", error("train", "mlp", "--data", csv, "--label", "species", "--out", csv));
        assertTrue(Cli.COMMAND_HELP.get("train").startsWith("usage: ./netbook train MODEL [--data PATH]"), Cli.COMMAND_HELP.get("train"));
        assertTrue(Cli.COMMAND_HELP.keySet().containsAll(List.of("train", "predict", "recipe", "zoo", "summary")), Cli.COMMAND_HELP.keySet().toString());
        assertEquals(0, Cli.run(new String[] {"help", "predict"}));
        assertEquals(0, Cli.run(new String[] {"train", "--help"}));
        assertEquals("help: no command 'trian'; commands are " + Cli.COMMAND_HELP.keySet(), error("help", "trian"));
    }

    @Test
    void penguinsTrainFromTheCommandLineAndPredict(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        String csv = Penguins.csv().toString();
        assertEquals(0, Cli.run(new String[] {"train", "mlp", "--data", csv, "--label", "species", "--missing", "drop",
                "--epochs", "20", "--batch", "32", "--lr", "0.01", "--early-stop", "3", "--out", out.toString()}));
        for (String f : List.of("metrics.csv", "evaluation.csv", "confusion.csv", "confusion.html", "confusion.svg", "confusion.png",
                "per-class.csv", "model.netbook")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        List<String> evaluation = Files.readAllLines(out.resolve("evaluation.csv"));
        double accuracy = Double.parseDouble(evaluation.get(1).split(",")[3]);
        assertTrue(accuracy > 0.9, "held-out accuracy " + evaluation);
        Path predictions = dir.resolve("predictions.csv");
        // Predicting needs no label and no dropping: rows with a missing measurement are an error naming them,
        // so predict the rows without (the first 3 penguins).
        Path few = dir.resolve("few.csv");
        List<String> lines = Files.readAllLines(Penguins.csv());
        Files.write(few, List.of(lines.get(0), lines.get(1), lines.get(2), lines.get(3)));
        assertEquals(0, Cli.run(new String[] {"predict", out.resolve("model.netbook").toString(), "--data", few.toString(),
                "--out", predictions.toString()}));
        List<String> p = Files.readAllLines(predictions);
        assertEquals("file,row,predicted,p_Adelie,p_Chinstrap,p_Gentoo", p.get(0));
        assertEquals(4, p.size());
        assertTrue(p.get(1).startsWith(few + ",1,Adelie,"), p.get(1));
        String[] cells = p.get(2).split(",");
        double sum = Double.parseDouble(cells[3]) + Double.parseDouble(cells[4]) + Double.parseDouble(cells[5]);
        assertEquals(1.0, sum, 1e-5);
        Path withMissing = dir.resolve("missing.csv");
        Files.write(withMissing, List.of(lines.get(0), lines.get(4)));
        assertEquals(withMissing + ": row 1, column bill_length_mm is missing",
                error("predict", out.resolve("model.netbook").toString(), "--data", withMissing.toString(), "--out", predictions.toString()));
    }

    @Test
    void anImageFolderTrainsAZooModelAndPredictsEachFile(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("images");
        netbook.data.ArrayDataset source = netbook.data.FashionMnist.test();
        float[] x = new float[28 * 28];
        int[] written = new int[10];
        for (int i = 0; i < source.size() && written[0] + written[1] + written[8] < 60; i++) {
            int label = source.label(i);
            if ((label != 0 && label != 1 && label != 8) || written[label] == 20) continue;
            source.copyFeatures(i, x, 0);
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < x.length; p++) img.getRaster().setSample(p % 28, p / 28, 0, Math.round(x[p] * 255));
            Path f = images.resolve("class-" + label).resolve(i + ".png");
            Files.createDirectories(f.getParent());
            javax.imageio.ImageIO.write(img, "png", f.toFile());
            written[label]++;
        }
        Path out = dir.resolve("run");
        assertEquals(0, Cli.run(new String[] {"train", "resnet18-small", "--data", images.toString(), "--epochs", "1", "--batch", "16",
                "--augment", "2", "--erase", "0.5", "--normalize", "--out", out.toString()}));
        assertEquals(4, Files.readAllLines(out.resolve("confusion.csv")).size(), "header and three classes");
        try (netbook.train.TrainedModel m = netbook.train.TrainedModel.load(out.resolve("model.netbook"))) {
            assertEquals("normalize1", m.net().body().items().get(0).name(), "the normalisation is part of the saved model");
        }
        Path predictions = dir.resolve("p.csv");
        assertEquals(0, Cli.run(new String[] {"predict", out.resolve("model.netbook").toString(), "--data", images.resolve("class-8").toString(),
                "--out", predictions.toString()}));
        List<String> p = Files.readAllLines(predictions);
        assertEquals(21, p.size(), "a header and one line per image");
        assertEquals("file,row,predicted,p_class-0,p_class-1,p_class-8,p_3,p_4,p_5,p_6,p_7,p_8,p_9", p.get(0),
                "the folder names are the classes; the zoo head's seven other outputs keep their numbers");
        assertTrue(p.get(1).startsWith(images.resolve("class-8") + "/"), p.get(1));
        for (String line : p.subList(1, 21)) assertTrue(line.split(",")[2].matches("class-[018]"), line);
    }

    @Test
    void aNumericColumnTrainsARegressionAndPredictsInItsUnits(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        String csv = Penguins.csv().toString();
        assertEquals(0, Cli.run(new String[] {"train", "mlp", "--data", csv, "--label", "body_mass_g", "--regression", "--missing", "drop",
                "--epochs", "40", "--batch", "32", "--lr", "0.01", "--out", out.toString()}));
        List<String> r = Files.readAllLines(out.resolve("regression.csv"));
        assertEquals("mse,mae,r2,examples", r.get(0));
        assertTrue(Double.parseDouble(r.get(1).split(",")[2]) > 0.7, "held-out R-squared: " + r);
        Path few = dir.resolve("few.csv");
        List<String> lines = Files.readAllLines(Penguins.csv());
        Files.write(few, List.of(lines.get(0), lines.get(1), lines.get(2)));
        Path predictions = dir.resolve("p.csv");
        assertEquals(0, Cli.run(new String[] {"predict", out.resolve("model.netbook").toString(), "--data", few.toString(), "--out", predictions.toString()}));
        List<String> p = Files.readAllLines(predictions);
        assertEquals("file,row,predicted", p.get(0));
        double grams = Double.parseDouble(p.get(1).split(",")[2]);
        assertTrue(grams > 2500 && grams < 6500, "a penguin's mass in grams: " + grams);
    }
}
