// Netbook's imports, the same in the Jupyter kernel and in ./netbook jshell.
import java.util.*;
import java.nio.file.*;
import netbook.dsl.*;
import static netbook.dsl.Layers.*;
import netbook.zoo.*;
import netbook.train.*;
import netbook.data.*;
import netbook.loss.*;
import tech.tablesaw.api.*;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import netbook.render.*;
import static netbook.render.Display.display;
import static netbook.render.Display.updateDisplay;
import static netbook.render.Display.clearOutput;
