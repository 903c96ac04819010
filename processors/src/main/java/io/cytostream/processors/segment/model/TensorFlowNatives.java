package io.cytostream.processors.segment.model;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Points DJL's TensorFlow engine at the native library the build unpacked, so that nothing is
 * downloaded at run time.
 *
 * <p>DJL reads {@code TENSORFLOW_LIBRARY_PATH} from the environment or a system property. When
 * neither is set, this looks for {@value #RELATIVE} beside the code (the jar's folder, {@code
 * processors/target/} for both {@code cytostream.jar} and {@code target/classes}) and sets the
 * property. It also sets {@code ai.djl.offline=true} unless the user set it.
 */
public final class TensorFlowNatives {
  /** Where the build unpacks the library, relative to the folder holding the jar. */
  public static final String RELATIVE = "tf-native/org/tensorflow/internal/c_api/linux-x86_64";

  /** The variable (or system property) DJL reads. */
  public static final String VARIABLE = "TENSORFLOW_LIBRARY_PATH";

  private static final String LIBRARY = "libtensorflow_cc.so.2";

  private TensorFlowNatives() {}

  /**
   * Makes sure DJL will find the library, offline.
   *
   * @return the library folder in use
   * @throws ModelLoadException naming the places looked at when there is no library
   */
  public static synchronized Path configure() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    String set = System.getenv(VARIABLE);
    if (set == null || set.isBlank()) {
      set = System.getProperty(VARIABLE);
    }
    if (set != null && !set.isBlank()) {
      Path p = Path.of(set);
      if (!Files.isRegularFile(p.resolve(LIBRARY))) {
        throw new ModelLoadException(
            "TensorFlow native library not found: "
                + VARIABLE
                + "="
                + p.toAbsolutePath()
                + " holds no "
                + LIBRARY,
            null);
      }
      return p;
    }
    List<Path> looked = candidates();
    for (Path p : looked) {
      if (Files.isRegularFile(p.resolve(LIBRARY))) {
        System.setProperty(VARIABLE, p.toString());
        return p;
      }
    }
    throw new ModelLoadException(
        "TensorFlow native library not found (looked in "
            + looked
            + "); build with `mvn package` (it unpacks it into processors/target/tf-native) or set "
            + VARIABLE
            + " to the folder holding "
            + LIBRARY,
        null);
  }

  private static List<Path> candidates() {
    List<Path> out = new ArrayList<>();
    try {
      Path code =
          Path.of(
              TensorFlowNatives.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path base = code.toAbsolutePath().getParent();
      if (base != null) {
        out.add(base.resolve(RELATIVE));
      }
    } catch (URISyntaxException | RuntimeException e) {
      // no code source (unusual class loader): only the working directory below
    }
    out.add(Path.of("processors/target").toAbsolutePath().resolve(RELATIVE));
    return out;
  }
}
