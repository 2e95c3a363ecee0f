package netbook.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import netbook.dsl.NetbookException;

/**
 * Readers for the published Amazon review files (McAuley et al.; e.g. "Grocery and Gourmet Food",
 * "Pet Supplies"), plain or gzipped:
 * <ul>
 * <li>5-core reviews, one JSON object per line, of which {@code reviewerID}, {@code asin},
 *     {@code overall} (rating, optional) and {@code unixReviewTime} (seconds, optional) are read;
 *     the 2014 files' single-quoted variant parses too;</li>
 * <li>ratings-only CSV without header, {@code user,item,rating,timestamp} (the 2014 layout;
 *     {@link CsvLayout#ITEM_USER} reads the 2018 {@code item,user,rating,timestamp} layout).</li>
 * </ul>
 * A malformed line fails with the file and line number, unless {@link OnMalformed#SKIP} is given;
 * skipped lines are counted. Blank lines are ignored.
 * <pre>
 * Interactions grocery = AmazonReviews.read(Path.of("Grocery_and_Gourmet_Food_5.json.gz")).interactions();
 * AmazonReviews.Loaded pets = AmazonReviews.read(Path.of("ratings_Pet_Supplies.csv"), OnMalformed.SKIP);
 * pets.skipped();   // how many lines were malformed
 * </pre>
 */
public final class AmazonReviews {
    private AmazonReviews() {}

    /** What to do with a line that cannot be read. */
    public enum OnMalformed { FAIL, SKIP }

    /** Column order of a ratings-only CSV. */
    public enum CsvLayout { USER_ITEM, ITEM_USER }

    /**
     * A loaded file: its interactions, the lines read (blank ones included), the lines skipped
     * as malformed, and the first few problems ({@code "file:line: reason"}).
     */
    public record Loaded(Interactions interactions, long lines, long skipped, List<String> problems) {}

    /** JSON lines when the name contains {@code .json}, else a user-first ratings CSV; fails on the first malformed line. */
    public static Loaded read(Path file) {
        return read(file, OnMalformed.FAIL);
    }

    public static Loaded read(Path file, OnMalformed onMalformed) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.contains(".json") ? readJsonLines(file, onMalformed) : readRatingsCsv(file, CsvLayout.USER_ITEM, onMalformed);
    }

    /** The 5-core JSON-lines format. */
    public static Loaded readJsonLines(Path file, OnMalformed onMalformed) {
        return parse(file, onMalformed, AmazonReviews::jsonRow);
    }

    /** The ratings-only CSV format. */
    public static Loaded readRatingsCsv(Path file, CsvLayout layout, OnMalformed onMalformed) {
        return parse(file, onMalformed, (line, lineNo) -> csvRow(line, lineNo, layout));
    }

    private record Row(String user, String item, float rating, long time) {}

    @FunctionalInterface
    private interface LineParser {
        /** The row, null for a header line to ignore; throws IllegalArgumentException with the reason. */
        Row parse(String line, long lineNo);
    }

    private static Loaded parse(Path file, OnMalformed onMalformed, LineParser parser) {
        String name = stripExtensions(file.getFileName().toString());
        Interactions.Builder b = Interactions.builder(name);
        long lineNo = 0;
        long skipped = 0;
        List<String> problems = new ArrayList<>();
        try (BufferedReader in = reader(file)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                Row row;
                try {
                    row = parser.parse(line.strip(), lineNo);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    String where = file + ":" + lineNo + ": " + e.getMessage();
                    if (onMalformed == OnMalformed.FAIL) {
                        throw new NetbookException(where + " (pass OnMalformed.SKIP to skip and count such lines)");
                    }
                    skipped++;
                    if (problems.size() < 10) problems.add(where);
                    continue;
                }
                if (row != null) b.add(row.user, row.item, row.rating, row.time);
            }
        } catch (IOException e) {
            throw new NetbookException(file + ": cannot read: " + e.getMessage(), e);
        }
        Interactions interactions = b.build();
        if (interactions.size() == 0) {
            throw new NetbookException(file + ": no usable lines (" + lineNo + " read, " + skipped + " malformed"
                    + (problems.isEmpty() ? "" : "; first: " + problems.get(0)) + ")");
        }
        if (skipped > 0) {
            // Skipping is asked for, but never silent: say how many and show the first few.
            System.err.println("netbook: " + file + ": skipped " + skipped + " malformed of " + lineNo + " lines; first "
                    + Math.min(3, problems.size()) + ":");
            for (String p : problems.subList(0, Math.min(3, problems.size()))) System.err.println("  " + p);
        }
        return new Loaded(interactions, lineNo, skipped, List.copyOf(problems));
    }

    private static BufferedReader reader(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static String stripExtensions(String n) {
        for (String ext : new String[] {".gz", ".json", ".jsonl", ".csv"}) {
            if (n.endsWith(ext)) n = n.substring(0, n.length() - ext.length());
        }
        return n;
    }

    private static Row jsonRow(String line, long lineNo) {
        JsonElement e;
        try {
            e = JsonParser.parseString(line);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("not a JSON object: " + shorten(line));
        }
        if (!e.isJsonObject()) throw new IllegalArgumentException("expected a JSON object, found " + shorten(line));
        JsonObject o = e.getAsJsonObject();
        String user = string(o, "reviewerID");
        String item = string(o, "asin");
        float rating = Float.NaN;
        if (o.has("overall") && !o.get("overall").isJsonNull()) {
            rating = (float) number(o, "overall");
        }
        long time = Interactions.NO_TIME;
        if (o.has("unixReviewTime") && !o.get("unixReviewTime").isJsonNull()) {
            double t = number(o, "unixReviewTime");
            if (t != Math.rint(t)) throw new IllegalArgumentException("\"unixReviewTime\" is not whole seconds: " + t);
            time = (long) t;
        }
        return new Row(user, item, rating, time);
    }

    private static String string(JsonObject o, String key) {
        JsonElement v = o.get(key);
        if (v == null || v.isJsonNull()) throw new IllegalArgumentException("missing \"" + key + "\"");
        if (!v.isJsonPrimitive()) throw new IllegalArgumentException("\"" + key + "\" is not a string: " + v);
        String s = v.getAsString().strip();
        if (s.isEmpty()) throw new IllegalArgumentException("\"" + key + "\" is empty");
        return s;
    }

    private static double number(JsonObject o, String key) {
        JsonElement v = o.get(key);
        if (!(v instanceof JsonPrimitive p) || !(p.isNumber() || p.isString())) {
            throw new IllegalArgumentException("\"" + key + "\" is not a number: " + v);
        }
        try {
            double d = Double.parseDouble(p.getAsString());
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("\"" + key + "\" is not a number: " + v);
        }
    }

    private static Row csvRow(String line, long lineNo, CsvLayout layout) {
        String[] f = line.split(",", -1);
        if (f.length < 2 || f.length > 4) {
            throw new IllegalArgumentException("expected 2 to 4 comma-separated fields (user,item,rating,timestamp), found "
                    + f.length + ": " + shorten(line));
        }
        String user = f[layout == CsvLayout.USER_ITEM ? 0 : 1].strip();
        String item = f[layout == CsvLayout.USER_ITEM ? 1 : 0].strip();
        if (lineNo == 1 && f.length >= 3 && !isNumber(f[2]) && (line.toLowerCase(java.util.Locale.ROOT).contains("user")
                || line.toLowerCase(java.util.Locale.ROOT).contains("item"))) {
            return null; // a header
        }
        if (user.isEmpty()) throw new IllegalArgumentException("empty user id");
        if (item.isEmpty()) throw new IllegalArgumentException("empty item id");
        float rating = Float.NaN;
        if (f.length >= 3 && !f[2].isBlank()) {
            if (!isNumber(f[2])) throw new IllegalArgumentException("rating is not a number: '" + f[2].strip() + "'");
            rating = Float.parseFloat(f[2].strip());
        }
        long time = Interactions.NO_TIME;
        if (f.length == 4 && !f[3].isBlank()) {
            try {
                time = Long.parseLong(f[3].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("timestamp is not whole seconds: '" + f[3].strip() + "'");
            }
        }
        return new Row(user, item, rating, time);
    }

    private static boolean isNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s.strip()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
