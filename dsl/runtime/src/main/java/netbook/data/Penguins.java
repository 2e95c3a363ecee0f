package netbook.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import netbook.dsl.NetbookException;

/**
 * The Palmer penguins (Gorman, Williams and Fraser 2014; Horst, Hill and Gorman's R package): 344
 * penguins of three species on three islands, with bill, flipper and body measurements, sex and
 * year, and missing values in 11 rows. A small real table for {@link Tabular}. Debian ships it in
 * {@code r-cran-palmerpenguins}; {@code ./netbook test} and {@code ./netbook notebook} take
 * {@code penguins.csv} out of that package (no R needed) into {@code ~/.cache/netbook/palmerpenguins}.
 * <pre>Tabular.csv(Penguins.csv()).label("species").dropMissing()</pre>
 */
public final class Penguins {
    private Penguins() {}

    /** Where penguins.csv is: {@code -Dnetbook.penguins}, {@code $NETBOOK_DATA/palmerpenguins}, the user cache, or R's library. */
    public static Path csv() {
        List<Path> tried = new ArrayList<>();
        String prop = System.getProperty("netbook.penguins");
        if (prop != null) tried.add(Path.of(prop));
        String data = System.getenv("NETBOOK_DATA");
        if (data != null) tried.add(Path.of(data, "palmerpenguins", "penguins.csv"));
        tried.add(Path.of(System.getProperty("user.home"), ".cache", "netbook", "palmerpenguins", "penguins.csv"));
        tried.add(Path.of("/usr/lib/R/site-library/palmerpenguins/extdata/penguins.csv"));
        for (Path p : tried) if (Files.isRegularFile(p)) return p;
        throw new NetbookException("penguins.csv not found (looked in " + tried + "); ./netbook test and ./netbook notebook fetch it, "
                + "or: apt-get download r-cran-palmerpenguins && dpkg-deb -x r-cran-palmerpenguins_*.deb x && "
                + "cp x/usr/lib/R/site-library/palmerpenguins/extdata/penguins.csv ~/.cache/netbook/palmerpenguins/");
    }
}
