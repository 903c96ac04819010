package io.cytostream.processors.segment.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped model through DJL reproduces what TF Java computed at export time. */
class ModelReferenceTest {
  private static ModelSegmenter model;

  @BeforeAll
  static void load() {
    model = ModelSegmenter.loadBundled();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static JsonObject reference() throws IOException {
    try (InputStream in =
        ModelReferenceTest.class
            .getClassLoader()
            .getResourceAsStream(ModelSegmenter.BUNDLED + "reference.json")) {
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .getAsJsonObject();
    }
  }

  static float[] floats(JsonArray a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = a.get(i).getAsFloat();
    }
    return f;
  }

  @Test
  void djlOutputEqualsTfJavaReference() throws IOException {
    JsonObject ref = reference();
    float[] in = floats(ref.getAsJsonArray("input"));
    float[] expected = floats(ref.getAsJsonArray("output"));
    int n = (int) Math.round(Math.sqrt(in.length));
    try (ModelSegmenter.Worker w = model.newWorker()) {
      float[] out = w.run(in, 1, n, n);
      assertThat(out).hasSize(expected.length);
      double maxDiff = 0;
      for (int i = 0; i < out.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(out[i] - expected[i]));
      }
      assertThat(maxDiff).isLessThan(1e-5);
    }
  }
}
