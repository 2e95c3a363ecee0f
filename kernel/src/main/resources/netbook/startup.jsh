// Netbook's imports, the same in the Jupyter kernel and in ./netbook jshell. JShell compiles each
// import as its own snippet (about 10-40 ms apiece while javac is cold), so packages are imported
// whole rather than class by class.
import java.util.*;
import java.nio.file.*;
import netbook.dsl.*;
import static netbook.dsl.Layers.*;
import netbook.engine.*;
import netbook.zoo.*;
import netbook.train.*;
import netbook.data.*;
import netbook.loss.*;
import tech.tablesaw.api.*;
import ai.djl.ndarray.*;
import netbook.render.*;
import static netbook.render.Display.*;
