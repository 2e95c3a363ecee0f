package netbook.recipes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every recipe, by command-line name. Add a recipe here with one line. */
public final class Recipes {
    private Recipes() {}

    public static Map<String, Recipe> all() {
        Map<String, Recipe> m = new LinkedHashMap<>();
        for (Recipe r : List.<Recipe>of(/* recipes are added here */
                new CnnRecipe(),
                new BenchmarkRecipe(),
                new DegradationRecipe(),
                new AblationsRecipe(),
                new MarginLossesRecipe(),
                new VqVaeRecipe(),
                new VqVae2Recipe(),
                new PcrecRecipe())) {
            m.put(r.name(), r);
        }
        return m;
    }
}
