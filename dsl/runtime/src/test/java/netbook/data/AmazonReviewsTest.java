package netbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import netbook.dsl.NetbookException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Amazon review readers on the shipped sample files and on broken ones. */
class AmazonReviewsTest {
    @TempDir Path dir;

    static Path resource(String name) throws Exception {
        return Path.of(AmazonReviewsTest.class.getResource("/netbook/data/" + name).toURI());
    }

    @Test
    void fiveCoreJsonSampleLoadsEveryReviewWithRatingAndTime() throws Exception {
        AmazonReviews.Loaded l = AmazonReviews.read(resource("Pet_Supplies_sample_5.json"));
        Interactions d = l.interactions();
        assertEquals(36, d.size());
        assertEquals(7, d.users());
        assertEquals(6, d.items());
        assertEquals(0, l.skipped());
        assertTrue(d.hasTimes());
        assertEquals("A1VEELTKS8NLZB", d.userId(d.user(0)));
        assertEquals("B00008Q5HO", d.itemId(d.item(0)));
        assertEquals(5.0f, d.rating(0));
        assertEquals(1360659115L, d.time(0));
        assertEquals("Pet_Supplies_sample_5", d.name());
    }

    @Test
    void ratingsCsvSampleReadsTheSameInteractions() throws Exception {
        Interactions json = AmazonReviews.read(resource("Pet_Supplies_sample_5.json")).interactions();
        Interactions csv = AmazonReviews.read(resource("ratings_Pet_Supplies_sample.csv")).interactions();
        assertEquals(json.size(), csv.size());
        for (int r = 0; r < json.size(); r++) {
            assertEquals(json.userId(json.user(r)), csv.userId(csv.user(r)));
            assertEquals(json.itemId(json.item(r)), csv.itemId(csv.item(r)));
            assertEquals(json.rating(r), csv.rating(r));
            assertEquals(json.time(r), csv.time(r));
        }
    }

    @Test
    void malformedJsonLineFailsWithFileAndLineNumber() throws Exception {
        Path f = dir.resolve("Grocery_5.json");
        Files.writeString(f, """
                {"reviewerID": "A1", "asin": "B1", "overall": 5.0, "unixReviewTime": 1370044800}

                {"reviewerID": "A2", "overall": 4.0, "unixReviewTime": 1370044800}
                """);
        NetbookException e = assertThrows(NetbookException.class, () -> AmazonReviews.read(f));
        assertTrue(e.getMessage().contains(f + ":3: missing \"asin\""), e.getMessage());
        assertTrue(e.getMessage().contains("OnMalformed.SKIP"), "suggests the fix: " + e.getMessage());
    }

    @Test
    void skipModeCountsMalformedLinesAndKeepsTheRest() throws Exception {
        Path f = dir.resolve("Grocery_5.json");
        Files.writeString(f, """
                {"reviewerID": "A1", "asin": "B1", "overall": 5.0, "unixReviewTime": 1370044800}
                {"reviewerID": "A2", "asin": "B1", "overall": "five", "unixReviewTime": 1370044800}
                not json at all
                {"reviewerID": "A3", "asin": "B2"}
                """);
        AmazonReviews.Loaded l = AmazonReviews.read(f, AmazonReviews.OnMalformed.SKIP);
        assertEquals(2, l.interactions().size(), "A1 and A3 (rating and time are optional)");
        assertEquals(2, l.skipped());
        assertEquals(4, l.lines());
        assertTrue(l.problems().get(0).startsWith(f + ":2: \"overall\" is not a number"), l.problems().get(0));
        assertTrue(l.problems().get(1).startsWith(f + ":3: not a JSON object"), l.problems().get(1));
        assertTrue(Float.isNaN(l.interactions().rating(1)));
        assertEquals(Interactions.NO_TIME, l.interactions().time(1));
    }

    @Test
    void skipModeFailsWhenNothingUsableRemains() throws Exception {
        Path f = dir.resolve("Broken_5.json");
        Files.writeString(f, "not json\n{\"asin\": \"B1\"}\n");
        String msg = org.junit.jupiter.api.Assertions.assertThrows(netbook.dsl.NetbookException.class,
                () -> AmazonReviews.read(f, AmazonReviews.OnMalformed.SKIP)).getMessage();
        assertTrue(msg.startsWith(f + ": no usable lines (2 read, 2 malformed; first: " + f + ":1: not a JSON object"), msg);
    }

    @Test
    void malformedCsvLineNamesFileLineAndField() throws Exception {
        Path f = dir.resolve("ratings_Grocery.csv");
        Files.writeString(f, "A1,B1,5.0,1370044800\nA2,B2,great,1370044800\n");
        NetbookException e = assertThrows(NetbookException.class, () -> AmazonReviews.read(f));
        assertTrue(e.getMessage().startsWith(f + ":2: rating is not a number: 'great'"), e.getMessage());
        Files.writeString(f, "A1,B1,5.0,1370044800\nA2;B2;4.0\n");
        e = assertThrows(NetbookException.class, () -> AmazonReviews.read(f));
        assertTrue(e.getMessage().startsWith(f + ":2: expected 2 to 4 comma-separated fields"), e.getMessage());
    }

    @Test
    void csvHeaderAndItemFirstLayoutAreRead() throws Exception {
        Path f = dir.resolve("Pet_Supplies.csv");
        Files.writeString(f, "item,user,rating,timestamp\nB1,A1,5.0,1370044800\nB2,A1,3.0,1370131200\n");
        Interactions d = AmazonReviews.readRatingsCsv(f, AmazonReviews.CsvLayout.ITEM_USER, AmazonReviews.OnMalformed.FAIL).interactions();
        assertEquals(2, d.size());
        assertEquals(1, d.users());
        assertEquals("A1", d.userId(0));
        assertEquals("B2", d.itemId(d.item(1)));
    }
}
