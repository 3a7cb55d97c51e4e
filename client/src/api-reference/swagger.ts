// Loaded only by the API reference page (a chunk of its own): Swagger UI and its styles.
import SwaggerUIBundle from 'swagger-ui-dist/swagger-ui-es-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';
import { previewHeaders } from '../api/preview.js';

/**
 * Shows an OpenAPI document in `node`. "Try it out" sends requests from this page, so the browser adds the session
 * cookie (same origin); an admin previewing a role sends them as that role, as the rest of the app does.
 */
export function mountReference(node: HTMLElement, spec: object): void {
  SwaggerUIBundle({
    domNode: node,
    spec,
    deepLinking: false,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    withCredentials: true,
    requestInterceptor: (request) => {
      request.credentials = 'same-origin';
      Object.assign(request.headers, previewHeaders(new URL(request.url, location.origin).pathname));
      return request;
    },
  });
}
