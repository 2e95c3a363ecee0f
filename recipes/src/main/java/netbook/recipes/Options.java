package netbook.recipes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import netbook.dsl.NetbookException;

/**
 * A command's arguments, checked before any work starts: positional arguments, options that take
 * a value and flags. An unknown option, a missing or malformed value is a one-line error that
 * names the command and the option.
 * <pre>Options o = Options.parse("train", args, Set.of("--epochs"), Set.of("--resume"));
 * int epochs = o.positiveInt("--epochs", 1);</pre>
 */
public final class Options {
    private final String command;
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> flags = new TreeSet<>();

    private Options(String command) {
        this.command = command;
    }

    public static Options parse(String command, List<String> args, Set<String> valued, Set<String> flagNames) {
        Options o = new Options(command);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                if (flagNames.contains(a)) {
                    o.flags.add(a);
                } else if (valued.contains(a)) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new NetbookException(command + ": option " + a + " needs a value");
                    }
                    if (o.values.put(a, args.get(++i)) != null) throw new NetbookException(command + ": option " + a + " is given twice");
                } else {
                    TreeSet<String> known = new TreeSet<>(valued);
                    known.addAll(flagNames);
                    throw new NetbookException(command + ": unknown option " + a + "; options are " + String.join(" ", known));
                }
            } else {
                o.positional.add(a);
            }
        }
        return o;
    }

    public List<String> positional() { return positional; }

    public boolean flag(String name) { return flags.contains(name); }

    public boolean has(String name) { return values.containsKey(name); }

    public String string(String name, String dflt) { return values.getOrDefault(name, dflt); }

    public Path path(String name) {
        String v = values.get(name);
        return v == null ? null : Path.of(v);
    }

    public int positiveInt(String name, int dflt) {
        String v = values.get(name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new NetbookException(command + ": option " + name + " needs a positive whole number, received '" + v + "'");
    }

    public double positiveDouble(String name, double dflt) {
        String v = values.get(name);
        if (v == null) return dflt;
        try {
            double x = Double.parseDouble(v);
            if (x > 0 && Double.isFinite(x)) return x;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new NetbookException(command + ": option " + name + " needs a positive number, received '" + v + "'");
    }

    public long wholeNumber(String name, long dflt) {
        String v = values.get(name);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new NetbookException(command + ": option " + name + " needs a whole number, received '" + v + "'");
        }
    }
}
