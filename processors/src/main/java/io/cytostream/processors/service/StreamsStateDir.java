package io.cytostream.processors.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's side of Kafka Streams' state directory: what makes a restart after {@code kill -9}
 * fast and quiet.
 *
 * <ul>
 *   <li><b>Unclean stop.</b> Under exactly-once, Kafka Streams writes a store's checkpoint (the
 *       changelog offset the local store matches) only on a clean close; a store with data and no
 *       checkpoint may hold uncommitted writes, so after {@code kill -9} every task was declared
 *       corrupted ({@code TaskCorruptedException} at ERROR, 16 of them on 12 tasks), closed dirty,
 *       wiped and restored. {@link #begin} leaves a marker for the running service and {@link #end}
 *       removes it after the clean close; a marker found at start means the last run did not stop
 *       cleanly, and the task directories are dropped before Kafka Streams starts, so it restores
 *       them from the changelogs as on a new machine (same result, no corruption handling). The
 *       process id file is kept, so the restarted instance keeps its transactional ids and fences
 *       the dead one's open transactions at once.
 *   <li><b>Static group membership.</b> The dead process's consumers stay members of the group
 *       until their session times out; a new member's join waited for that (about 45 s, the
 *       consumers' default session timeout). {@link #instanceId} gives the instance a stable {@code
 *       group.instance.id}, kept in the state directory, so a restarted instance takes its own
 *       place in the group at once. Two instances need two state directories (they have them: a
 *       state directory is locked by one process).
 * </ul>
 */
final class StreamsStateDir {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsStateDir.class);

  /** The marker of a running service in the state directory. */
  static final String RUNNING_MARKER = ".cytostream-running";

  /** The file that keeps the instance's group.instance.id. */
  static final String INSTANCE_ID_FILE = "cytostream-instance-id";

  private static final Pattern TASK_DIR = Pattern.compile("\\d+_\\d+");

  private final Path dir;

  StreamsStateDir(Path dir) {
    this.dir = dir;
  }

  /**
   * Marks the state directory as in use; when the previous run left its marker (it did not stop
   * cleanly), drops the local task state first.
   *
   * @return the task directories dropped (empty after a clean stop or on a new directory)
   */
  List<Path> begin() {
    try {
      Files.createDirectories(dir);
      List<Path> dropped = new ArrayList<>();
      Path marker = dir.resolve(RUNNING_MARKER);
      if (Files.exists(marker)) {
        dropped.addAll(taskDirs());
        for (Path t : dropped) {
          deleteTree(t);
        }
        LOG.info(
            "the last run did not stop cleanly: dropped the local state of {} tasks; they restore"
                + " from their changelogs",
            dropped.size());
      }
      Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
      return dropped;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the state directory " + dir, e);
    }
  }

  /** Removes the marker: call after Kafka Streams has closed cleanly. */
  void end() {
    try {
      Files.deleteIfExists(dir.resolve(RUNNING_MARKER));
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", dir.resolve(RUNNING_MARKER), e.getMessage());
    }
  }

  /** The instance's stable group.instance.id, created on first use. */
  String instanceId() {
    Path f = dir.resolve(INSTANCE_ID_FILE);
    try {
      Files.createDirectories(dir);
      if (Files.exists(f)) {
        String id = Files.readString(f, StandardCharsets.UTF_8).trim();
        if (!id.isEmpty()) {
          return id;
        }
      }
      String id = "cytostream-" + UUID.randomUUID();
      Files.writeString(f, id + "\n", StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + f, e);
    }
  }

  /** Task directories ({@code <application.id>/<subtopology>_<partition>}). */
  private List<Path> taskDirs() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> apps = Files.list(dir)) {
      for (Path app : apps.filter(Files::isDirectory).toList()) {
        try (Stream<Path> tasks = Files.list(app)) {
          tasks
              .filter(Files::isDirectory)
              .filter(t -> TASK_DIR.matcher(t.getFileName().toString()).matches())
              .forEach(out::add);
        }
      }
    }
    return out;
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
