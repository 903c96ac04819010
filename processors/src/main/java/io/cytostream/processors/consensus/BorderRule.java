package io.cytostream.processors.consensus;

import io.cytostream.schemas.TrackedFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which cells are border cells of the consensus model: inputs only, following their measured
 * intensity (the paper's "border cells", Fig. 13), giving no regression row of their own.
 *
 * <ul>
 *   <li>{@code edge}: the cells whose mask touches the image edge (the default);
 *   <li>{@code ring:W}: the cells whose centroid lies within W px of the image edge, and those that
 *       touch it (W ≥ 1 px);
 *   <li>{@code list:ID,ID,…}: the given track ids (e.g. a hand-drawn choice such as the paper's
 *       setups I–III), plus the cells at the image edge, which have unseen neighbours.
 * </ul>
 *
 * <p>The paper's text gives its setups only as figures: setup I has 24 border cells in a culture of
 * 108 (section 4); II and III are not described in words. An explicit list reproduces any of them.
 *
 * @param kind {@code edge}, {@code ring} or {@code list}
 * @param widthPx the ring's width in px (ring only; 0 otherwise)
 * @param trackIds the listed track ids (list only; empty otherwise)
 */
public record BorderRule(String kind, int widthPx, Set<Long> trackIds) {

  /** Validates and copies. */
  public BorderRule {
    if (!List.of("edge", "ring", "list").contains(kind)) {
      throw new IllegalArgumentException("border must be edge, ring:W or list:ID,...: " + kind);
    }
    if ("ring".equals(kind) && widthPx < 1) {
      throw new IllegalArgumentException("ring width must be >= 1 px: " + widthPx);
    }
    trackIds = Set.copyOf(new TreeSet<>(trackIds));
  }

  /** Cells touching the image edge. */
  public static BorderRule edge() {
    return new BorderRule("edge", 0, Set.of());
  }

  /** Parses {@code edge}, {@code ring:W} or {@code list:ID,ID,…}. */
  public static BorderRule parse(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.equals("edge")) {
      return edge();
    }
    try {
      if (t.startsWith("ring:")) {
        return new BorderRule("ring", Integer.parseInt(t.substring(5).trim()), Set.of());
      }
      if (t.startsWith("list:")) {
        List<Long> ids = new ArrayList<>();
        for (String id : t.substring(5).split("[,\\s]+")) {
          if (!id.isEmpty()) {
            ids.add(Long.parseLong(id));
          }
        }
        return new BorderRule("list", 0, new TreeSet<>(ids));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad border " + s + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("border must be edge, ring:W or list:ID,...: " + s);
  }

  /** Whether a cell of a frame of {@code width} × {@code height} px is a border cell. */
  public boolean isBorder(TrackedFrame.Cell c, int width, int height) {
    return switch (kind) {
      case "ring" ->
          c.onBorder()
              || c.centroidX() < widthPx
              || c.centroidY() < widthPx
              || c.centroidX() > width - 1 - widthPx
              || c.centroidY() > height - 1 - widthPx;
      case "list" -> c.onBorder() || trackIds.contains(c.trackId());
      default -> c.onBorder();
    };
  }

  /** How the wire records name it: {@code edge}, {@code ring:W}, {@code list:N} (N ids). */
  public String describe() {
    return switch (kind) {
      case "ring" -> "ring:" + widthPx;
      case "list" -> "list:" + trackIds.size();
      default -> "edge";
    };
  }
}
