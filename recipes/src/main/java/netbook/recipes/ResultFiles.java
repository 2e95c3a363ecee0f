package netbook.recipes;

import java.io.IOException;
import java.nio.file.Path;
import netbook.render.Html;
import netbook.files.AtomicFiles;
import netbook.env.Stamp;
import tech.tablesaw.api.Table;

/**
 * How recipes write results: {@code name.csv}, {@code name.html} (the table with its stamp under
 * it) and {@code name.csv.stamp.json}, each to a temporary file renamed when complete.
 */
public final class ResultFiles {
    private ResultFiles() {}

    public static void table(Path out, String name, Table table, Stamp stamp) throws IOException {
        Path csv = out.resolve(name + ".csv");
        AtomicFiles.write(csv, stream -> table.write().csv(stream));
        AtomicFiles.writeString(out.resolve(name + ".html"), "<!doctype html><html><head><meta charset=\"utf-8\"><title>"
                + Html.escape(table.name()) + "</title></head><body>" + Html.table(table, 10_000)
                + "<p><small>" + Html.escape(stamp.toString()) + "</small></p></body></html>\n");
        stamp.writeBeside(csv);
    }

    public static void text(Path out, String name, String content) throws IOException {
        AtomicFiles.writeString(out.resolve(name), content);
    }
}
