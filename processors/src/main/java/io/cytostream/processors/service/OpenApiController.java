package io.cytostream.processors.service;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.yml}: the OpenAPI 3 document of the service's HTTP API, written at build time
 * by micronaut-openapi's annotation processor from the controllers and their Javadoc (to {@value
 * #DOCUMENT} on the class path).
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "cytostream",
            version = "1",
            description =
                "Live microscopy analysis: event stream (Server-Sent Events), query API over the"
                    + " state stores, health and metrics."))
@Controller
public class OpenApiController {
  /** Where the document is on the class path. */
  static final String DOCUMENT = "META-INF/swagger/cytostream.yml";

  @Hidden
  @Get(uri = "/openapi.yml", produces = "application/yaml")
  public HttpResponse<String> document() throws IOException {
    try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        return QueryController.error(HttpStatus.NOT_FOUND, "no OpenAPI document in this build");
      }
      return HttpResponse.ok(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contentType(MediaType.of("application/yaml"));
    }
  }
}
