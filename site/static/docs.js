// Starts Swagger UI on /docs (a file, not an inline script: the pages' policy forbids those).
window.addEventListener("DOMContentLoaded", () => {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
});
