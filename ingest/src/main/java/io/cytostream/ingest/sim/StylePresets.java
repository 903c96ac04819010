package io.cytostream.ingest.sim;

import java.util.List;
import java.util.Locale;

/**
 * Named looks for evaluation and training runs, shared by the {@code simulate} command and any
 * harness; each applies on top of what a builder holds, so names compose left to right (e.g. {@code
 * sparse,dim,8bit}).
 *
 * <ul>
 *   <li>{@code sparse}: small separated nuclei, cell radius 0.3 × spacing
 *   <li>{@code large} / {@code small}: cell scale × 1.5 / × 0.6
 *   <li>{@code dim}: brightness × 0.2
 *   <li>{@code noisy}: gain 8 ADU/photon, read-out σ 30 ADU ({@link SimulationConfigBuilder#noisy})
 *   <li>{@code uneven}: illumination gradient 0.4 along x and vignetting 0.5
 *   <li>{@code drift}: stage drift (0.5, 0.25) px/frame
 *   <li>{@code 8bit}: 8-bit digitiser with brightness × 0.1 (background 10 ADU, resting cells about
 *       73, input spikes mostly below 255)
 *   <li>{@code 12bit}: 12-bit digitiser (bright spikes clip at 4095)
 * </ul>
 *
 * See {@link RenderStyle} for the fields.
 */
public final class StylePresets {
  /** The preset names. */
  public static final List<String> NAMES =
      List.of("sparse", "large", "small", "dim", "noisy", "uneven", "drift", "8bit", "12bit");

  private StylePresets() {}

  /**
   * Applies the preset {@code name} (case-insensitive) to {@code builder} and returns it.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static SimulationConfigBuilder apply(SimulationConfigBuilder builder, String name) {
    RenderStyle s = builder.currentStyle();
    String key = name.trim().toLowerCase(Locale.ROOT);
    return switch (key) {
      case "sparse" -> builder.style(s.withCellRadius(0.3));
      case "large" -> builder.style(s.withCellScale(s.cellScale() * 1.5));
      case "small" -> builder.style(s.withCellScale(s.cellScale() * 0.6));
      case "dim" -> builder.style(s.withBrightness(s.brightness() * 0.2));
      case "noisy" -> builder.noisy();
      case "uneven" -> builder.style(s.withIllumination(0.4, 0.5));
      case "drift" -> builder.style(s.withStageDrift(0.5, 0.25));
      case "8bit" -> builder.style(s.withBitDepth(8).withBrightness(s.brightness() * 0.1));
      case "12bit" -> builder.style(s.withBitDepth(12));
      default ->
          throw new IllegalArgumentException(
              "unknown style '" + name + "'; known: " + String.join(", ", NAMES));
    };
  }
}
