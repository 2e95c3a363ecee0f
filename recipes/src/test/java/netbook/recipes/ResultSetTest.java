package netbook.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole run replaces a results folder; one part of a recipe (--only) keeps the other parts' files. */
class ResultSetTest {
    @TempDir Path tmp;

    static List<String> names(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWholeRunReplacesTheFolderAndAPartKeepsTheOtherPartsFiles() throws Exception {
        Path out = tmp.resolve("vq-vae");
        Files.createDirectories(out);
        Files.writeString(out.resolve("codebooks.csv"), "old codebooks");
        Files.writeString(out.resolve("beta.csv"), "old beta");

        Path part = ResultSet.prepareKeeping(out);
        Files.writeString(part.resolve("beta.csv"), "new beta");
        ResultSet.publish(part, out);
        assertEquals(List.of("beta.csv", "codebooks.csv"), names(out));
        assertEquals("old codebooks", Files.readString(out.resolve("codebooks.csv")));
        assertEquals("new beta", Files.readString(out.resolve("beta.csv")));

        Path whole = ResultSet.prepare(out);
        Files.writeString(whole.resolve("beta.csv"), "newest beta");
        ResultSet.publish(whole, out);
        assertEquals(List.of("beta.csv"), names(out));
        assertEquals(List.of("vq-vae"), names(tmp), "no staging or previous folder left beside it");
    }

    @Test
    void anOutFolderWhoseParentsDoNotExistYetIsMadeWithThem() throws Exception {
        Path out = tmp.resolve("runs/alexnet-seeds/seed-43");
        Path staging = ResultSet.prepareKeeping(out);
        Files.writeString(staging.resolve("table.csv"), "a,b");
        ResultSet.publish(staging, out);
        assertEquals(List.of("table.csv"), names(out));
        assertEquals(List.of("seed-43"), names(tmp.resolve("runs/alexnet-seeds")), "no staging folder left beside it");
    }
}
