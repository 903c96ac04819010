package io.cytostream.processors.track;

import java.util.Arrays;

/**
 * An alternative segment of one frame made of several finest-level detections (leaves): a node of
 * the frame's candidate hierarchy above the leaves. The candidates of a frame must be laminar (two
 * candidates are either disjoint or one contains the other), so that together with the leaves they
 * form a forest in which every node is the union of its children.
 *
 * @param label the candidate's label, unique among the frame's leaf labels and candidate labels
 *     ({@code > 0}); it is the label the tracker's assignment names when it chooses this candidate
 * @param members the labels of the leaves it is made of (at least two, distinct)
 * @param preferred whether the segmenter on its own would report this candidate as one cell (the
 *     segmenter's default cut: a leaf is preferred when no preferred candidate contains it)
 */
public record Candidate(int label, int[] members, boolean preferred) {
  /** Validates the fields and copies {@code members}. */
  public Candidate {
    if (label <= 0) {
      throw new IllegalArgumentException("candidate label must be > 0: " + label);
    }
    members = members.clone();
    if (members.length < 2) {
      throw new IllegalArgumentException("candidate " + label + " needs at least two members");
    }
  }

  @Override
  public int[] members() {
    return members.clone();
  }

  /** The number of leaves it is made of. */
  public int size() {
    return members.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Candidate c
        && c.label == label
        && c.preferred == preferred
        && Arrays.equals(c.members, members);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * label + Arrays.hashCode(members)) + Boolean.hashCode(preferred);
  }

  @Override
  public String toString() {
    return "Candidate[" + label + " = " + Arrays.toString(members) + (preferred ? ", pref]" : "]");
  }
}
