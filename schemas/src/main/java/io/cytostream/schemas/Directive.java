package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A request to the acquisition software about one field of view, as a CloudEvents 1.0 event in
 * structured JSON mode: topic {@code acquisition.directives}, key = FOV. The service's rules turn
 * anomaly events and frame observations into directives; acquisition hooks (the Java {@code
 * DirectiveListener}, the Python hook's {@code on_directive}) receive those of their FOVs and
 * adjust the acquisition. A directive is advice: the acquisition software decides.
 *
 * @param specversion always {@code "1.0"}
 * @param id deterministic for a given FOV, frame and action (a replay gives the same ids)
 * @param source {@code /cytostream/fov/<fov>}
 * @param type {@code io.cytostream.directive.<action>} with {@code -} for {@code _}, e.g. {@code
 *     io.cytostream.directive.lower-exposure}
 * @param time acquisition time of the frame that triggered it (when known; else when the rule
 *     fired)
 * @param subject {@code frame/<index>} of the triggering frame
 * @param datacontenttype {@code application/json}
 * @param dataschema {@code urn:cytostream:directive:1}
 * @param data the directive
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Directive(
    String specversion,
    String id,
    String source,
    String type,
    Instant time,
    String subject,
    String datacontenttype,
    String dataschema,
    Data data) {

  /** The CloudEvents type prefix. */
  public static final String TYPE_PREFIX = "io.cytostream.directive.";

  /** What the acquisition should do. */
  public enum Action {
    /** Shorten the exposure (or lower the light): multiply it by {@code exposureFactor}. */
    LOWER_EXPOSURE,
    /** Run the autofocus before the next frame of this FOV. */
    REFOCUS,
    /**
     * Image this FOV faster: multiply its frame interval by {@code intervalFactor} for {@code
     * frames} frames.
     */
    FASTER,
    /** Skip this FOV for the next {@code frames} time points (it has no interior cells). */
    SKIP;

    /** The wire name, e.g. {@code lower_exposure}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The action of a wire name. */
    public static Action ofWireName(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * The directive's payload.
   *
   * @param fov field of view id
   * @param action {@code lower_exposure}, {@code refocus}, {@code faster} or {@code skip}
   * @param frame index of the frame that triggered it
   * @param frameTime acquisition time of that frame (absent when the frame carried none)
   * @param cause what triggered it: an anomaly kind (e.g. {@code saturation}) or {@code
   *     no_interior_cells}
   * @param causeIds ids of the anomaly events behind it (empty for frame observations)
   * @param exposureFactor for {@code lower_exposure}: the factor (0..1) to multiply the exposure by
   * @param intervalFactor for {@code faster}: the factor (0..1) to multiply the frame interval by
   * @param frames for {@code faster} and {@code skip}: for how many frames (time points)
   * @param reason a short human-readable reason
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Data(
      String fov,
      String action,
      long frame,
      Instant frameTime,
      String cause,
      List<String> causeIds,
      Double exposureFactor,
      Double intervalFactor,
      Integer frames,
      String reason) {}

  /** Builds a directive with a deterministic id; {@code time} is the frame's time, else now. */
  public static Directive of(Data data) {
    String action = data.action().toLowerCase(Locale.ROOT);
    String id =
        UUID.nameUUIDFromBytes(
                ("directive|" + data.fov() + "|" + data.frame() + "|" + action)
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    return new Directive(
        "1.0",
        id,
        "/cytostream/fov/" + data.fov(),
        TYPE_PREFIX + action.replace('_', '-'),
        data.frameTime() != null ? data.frameTime() : Instant.now(),
        "frame/" + data.frame(),
        "application/json",
        "urn:cytostream:directive:1",
        data);
  }
}
