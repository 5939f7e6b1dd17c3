/** Every API route is under this prefix (but /health, /docs and the web form). */
export const API_PREFIX = 'api/v1';
